// `docker inspect` of a container, read into the plain ContainerState the rest of the lab sees.
import type Docker from 'dockerode';
import type { ContainerState } from './engine';

/** Epoch ms of the engine's ISO time; 0 for its "never" (0001-01-01) or what does not parse. */
function epochMs(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || ms < 0 ? 0 : ms;
}

/** The parts of a container's inspection the lab reads. */
export function containerStateOf(info: Docker.ContainerInspectInfo): ContainerState {
  return {
    running: info.State.Running,
    restarting: info.State.Restarting,
    pid: info.State.Pid,
    exitCode: info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    restartCount: info.RestartCount,
    startedAt: epochMs(info.State.StartedAt),
    finishedAt: epochMs(info.State.FinishedAt),
    command: [info.Path, ...(info.Args ?? [])],
    name: info.Name,
    labels: info.Config.Labels ?? {},
    image: info.Config.Image,
    ...(info.State.Error ? { error: info.State.Error } : {}),
  };
}
