// An inspect answer (of a container or an image) without the host paths the engine shows in it.

/** Host paths an inspect shows (the engine's directories): the learner sees none of them. */
export function scrubInspect(text: string): string {
  try {
    const info = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['ResolvConfPath', 'HostnamePath', 'HostsPath', 'LogPath']) if (key in info) info[key] = '';
    if (info.GraphDriver && typeof info.GraphDriver === 'object') (info.GraphDriver as { Data: unknown }).Data = null;
    return JSON.stringify(info);
  } catch {
    return text;
  }
}
