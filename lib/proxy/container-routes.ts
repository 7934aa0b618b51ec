// The container calls of a learner's docker CLI: list, create, the actions on one container (inspect,
// logs, top, start, stop, kill, wait, rm, exec, update, ...) and on an exec instance. Each looks the
// container up among the learner's own, then builds the engine's request from checked parts.
import type Docker from 'dockerode';
import type http from 'node:http';
import { withEngineDeadline } from '../sandbox/engine-deadline';
import { healthcheckWithFloor, containerCreateBody, updateBody } from './container-policy';
import { execCreateBody, execStartBody } from './exec-policy';
import {
  CONTAINER_NAME,
  findContainer,
  findImage,
  ownContainers,
  ownerFilters,
  WORKSTATION_LABEL,
  type Lookup,
} from './ownership';
import { relay, sendJson, sendRefusal } from './proxy-answers';
import type { ProxyCall, ProxyContext } from './proxy-context';
import { buildQuery, DETACH_KEYS_PARAM, PS_ARGS_PARAM, SIGNAL_PARAM, TIME_PARAM, type QuerySpec } from './query-model';
import type { Refusal } from './refusal';
import { decodeCreate, decodeExecCreate, decodeExecStart, decodeUpdate } from './request-models';
import { stripScope, terminalLabels, engineContainerName } from './scope';
import { relayStream } from './stream-relay';

/** Largest JSON body of a create, exec or update. */
export const JSON_BODY_LIMIT = 256 * 1024;

export function lookupRefusal<T>(lookup: Lookup<T>): Refusal | null {
  if ('missing' in lookup) return { status: 404, message: lookup.missing };
  if ('ambiguous' in lookup) return { status: 400, message: lookup.ambiguous };
  return null;
}

/** The request's body, or null past `maxBytes` (the rest is not read). */
export async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

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

/** Filters the CLI sent, with the learner's label filters added (filters of one key AND). */
export function withOwnerFilters(raw: string | null, labels: string[]): string {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  const filters: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed ?? {})) {
    if (!/^[a-z_-]{1,32}$/.test(key)) continue;
    // Older CLIs send {"label": {"a=b": true}}; newer ones {"label": ["a=b"]}.
    const values = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.keys(value) : [];
    filters[key] = values.filter((item): item is string => typeof item === 'string').slice(0, 32);
  }
  filters.label = [...(filters.label ?? []), ...labels];
  return JSON.stringify(filters);
}

export async function listContainers(ctx: ProxyContext, call: ProxyCall): Promise<void> {
  const built = buildQuery(call.query, { all: 'bool', limit: { int: [-1, 1000] }, size: 'bool' });
  if ('refusal' in built) return sendRefusal(call.res, built.refusal, call.api);
  built.query.set('filters', withOwnerFilters(call.query.get('filters'), ownerFilters(ctx.scope)));
  const answer = await ctx.engine.call(
    { method: 'GET', path: '/containers/json', query: built.query, what: 'listing containers' },
    call.version,
  );
  relay(call.res, answer, call.api, (text) => {
    try {
      const list = (JSON.parse(text) as Docker.ContainerInfo[]).filter((info) => !info.Labels?.[WORKSTATION_LABEL]);
      return stripScope(ctx.scope, JSON.stringify(list));
    } catch {
      return stripScope(ctx.scope, text);
    }
  });
}

export async function createContainer(ctx: ProxyContext, call: ProxyCall): Promise<void> {
  const raw = await readBody(call.req, JSON_BODY_LIMIT);
  if (!raw) return sendRefusal(call.res, { status: 413, message: 'the create request is too large' }, call.api);
  const model = decodeCreate(raw);
  const name = call.query.get('name')?.replace(/^\//, '') ?? '';
  if (name && !CONTAINER_NAME.test(name)) {
    return sendRefusal(
      call.res,
      {
        status: 400,
        message: `Invalid container name (${name.slice(0, 80)}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
      },
      call.api,
    );
  }
  const image = await findImage(ctx.docker, ctx.scope, model.Image ?? '', await ctx.labImages());
  const imageRefusal = lookupRefusal(image);
  if (imageRefusal || !('found' in image)) return sendRefusal(call.res, imageRefusal!, call.api);
  const imageInfo = await withEngineDeadline('inspecting an image', () =>
    ctx.docker.getImage(image.found.id).inspect(),
  );
  // A volume is outside the container's layer, where its disk limit is measured: images with one are not run.
  if (Object.keys(imageInfo.Config?.Volumes ?? {}).length) {
    return sendRefusal(
      call.res,
      {
        status: 403,
        message: `${model.Image} declares a VOLUME, which the lab does not run: a container keeps its files in its own filesystem`,
      },
      call.api,
    );
  }
  const context = {
    image: image.found.engineRef,
    labels: terminalLabels(ctx.scope),
    cgroupParent: await ctx.learnerParent(),
  };
  const applied = containerCreateBody(model, context);
  if ('refusal' in applied) return sendRefusal(call.res, applied.refusal, call.api);
  // A healthcheck inherited from the image gets the same floor as one given here.
  const inherited = imageInfo.Config?.Healthcheck as { Test?: string[]; Interval?: number } | undefined;
  if (!applied.body.Healthcheck && inherited?.Test?.length)
    applied.body.Healthcheck = healthcheckWithFloor({ ...inherited, Interval: inherited.Interval || 0 });
  const query = new URLSearchParams();
  // Without a name the engine makes one up (eager_turing), as Docker does; ownership is by label.
  if (name) query.set('name', engineContainerName(ctx.scope, name));
  // The quota is counted and the container created before the next create is counted.
  await ctx.creations.run(async () => {
    const existing = await ownContainers(ctx.docker, ctx.scope);
    if (existing.length >= ctx.quotas.containers) {
      return sendRefusal(
        call.res,
        {
          status: 403,
          message: `quota reached: at most ${ctx.quotas.containers} containers per learner; remove one with docker rm`,
        },
        call.api,
      );
    }
    const answer = await ctx.engine.call(
      { method: 'POST', path: '/containers/create', query, json: applied.body, what: 'creating a container' },
      call.version,
    );
    relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, text));
  });
}

/** The query each container action passes on. */
const ACTION_QUERIES: Record<string, QuerySpec> = {
  json: { size: 'bool' },
  logs: {
    follow: 'bool',
    stdout: 'bool',
    stderr: 'bool',
    since: TIME_PARAM,
    until: TIME_PARAM,
    timestamps: 'bool',
    tail: /^(all|\d{1,7})$/,
    details: 'bool',
  },
  top: { ps_args: PS_ARGS_PARAM },
  changes: {},
  stats: { stream: 'bool', 'one-shot': 'bool' },
  start: { detachKeys: DETACH_KEYS_PARAM },
  stop: { t: { int: [0, 300] }, signal: SIGNAL_PARAM },
  restart: { t: { int: [0, 300] }, signal: SIGNAL_PARAM },
  kill: { signal: SIGNAL_PARAM },
  wait: { condition: ['not-running', 'next-exit', 'removed'] },
  resize: { h: { int: [0, 10_000] }, w: { int: [0, 10_000] } },
  '': { force: 'bool' },
};

export async function containerAction(ctx: ProxyContext, call: ProxyCall, ref: string, action: string): Promise<void> {
  const lookup = await findContainer(ctx.docker, ctx.scope, ref);
  const refusal = lookupRefusal(lookup);
  if (refusal || !('found' in lookup)) return sendRefusal(call.res, refusal!, call.api);
  const id = lookup.found.Id;
  const path = `/containers/${id}${action ? `/${action}` : ''}`;
  if (action === 'exec') return createExec(ctx, call, id);
  if (action === 'update') return updateContainer(ctx, call, id);
  if (action === 'attach')
    return sendRefusal(
      call.res,
      { status: 400, message: 'attach needs an upgraded connection (Connection: Upgrade)' },
      call.api,
    );
  const built = buildQuery(call.query, ACTION_QUERIES[action] ?? {});
  if ('refusal' in built) return sendRefusal(call.res, built.refusal, call.api);
  const query = built.query;
  if (action === 'json' && lookup.found.inspect && query.get('size') !== '1') {
    return sendJson(
      call.res,
      200,
      JSON.parse(stripScope(ctx.scope, scrubInspect(JSON.stringify(lookup.found.inspect)))),
      call.api,
    );
  }
  // Anonymous volumes (an image's VOLUME) go with their container: nothing is left on the host.
  if (call.method === 'DELETE') query.set('v', '1');
  // A container starts inside the learner's cgroup: it is back with its limits if it was removed meanwhile.
  if (action === 'start' || action === 'restart') await ctx.learnerParent();
  const method = call.method === 'DELETE' ? 'DELETE' : call.method === 'GET' ? 'GET' : 'POST';
  // docker stop and restart wait for the container's grace period (10 s unless -t says otherwise).
  const graceMs = action === 'stop' || action === 'restart' ? Number(query.get('t') ?? 10) * 1000 : 0;
  const request = { method, path, query, what: `${action || 'removing'} a container`, extraMs: graceMs } as const;
  // Logs (followed or not: a megabyte may come), waits and stats streams are relayed as they come, bounded in time.
  if (action === 'logs' || action === 'wait' || (action === 'stats' && query.get('stream') !== '0')) {
    return relayStream(ctx, call, () => ctx.engine.open(request, call.version));
  }
  const answer = await ctx.engine.call(request, call.version);
  // The engine's `ps` errors quote what ps printed, which may be other host processes: not passed on.
  if (action === 'top' && answer.status >= 400 && answer.status !== 404 && answer.status !== 409) {
    return sendRefusal(
      call.res,
      {
        status: answer.status,
        message:
          'docker top could not read the processes with these options: try docker top <container>, or -o pid,ppid,stat,args',
      },
      call.api,
    );
  }
  relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, action === 'json' ? scrubInspect(text) : text));
}

/** Exec instances a learner may hold at once, started or not: each is kept by the engine, in its memory. */
export const MAX_EXECS = 32;

/** Forgets the learner's exec instances that have finished or are gone; the rest still count. */
async function pruneExecs(ctx: ProxyContext): Promise<void> {
  for (const id of ctx.execs) {
    const answer = await ctx.engine.call({ method: 'GET', path: `/exec/${id}/json`, what: 'inspecting an exec' });
    if (answer.status === 404) ctx.execs.delete(id);
    else if (answer.status === 200) {
      const info = JSON.parse(answer.body.toString('utf8')) as { Running?: boolean; ExitCode?: number | null };
      if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) ctx.execs.delete(id);
    }
  }
}

async function createExec(ctx: ProxyContext, call: ProxyCall, containerId: string): Promise<void> {
  const raw = await readBody(call.req, JSON_BODY_LIMIT);
  if (!raw) return sendRefusal(call.res, { status: 413, message: 'the exec request is too large' }, call.api);
  const applied = execCreateBody(decodeExecCreate(raw));
  if ('refusal' in applied) return sendRefusal(call.res, applied.refusal, call.api);
  // Counted and created one at a time, as containers are.
  await ctx.creations.run(async () => {
    if (ctx.execs.size >= MAX_EXECS) await pruneExecs(ctx);
    if (ctx.execs.size >= MAX_EXECS) {
      return sendRefusal(
        call.res,
        {
          status: 429,
          message: `too many exec instances: at most ${MAX_EXECS} per learner that have not finished; start or remove the ones you created`,
        },
        call.api,
      );
    }
    const answer = await ctx.engine.call(
      { method: 'POST', path: `/containers/${containerId}/exec`, json: applied.body, what: 'creating an exec' },
      call.version,
    );
    if (answer.status === 201) {
      try {
        const created = JSON.parse(answer.body.toString('utf8')) as { Id?: string };
        if (created.Id && /^[0-9a-f]{64}$/.test(created.Id)) ctx.execs.add(created.Id);
      } catch {
        /* not JSON: relayed as it is */
      }
    }
    relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, text));
  });
}

async function updateContainer(ctx: ProxyContext, call: ProxyCall, containerId: string): Promise<void> {
  const raw = await readBody(call.req, JSON_BODY_LIMIT);
  if (!raw) return sendRefusal(call.res, { status: 413, message: 'the update request is too large' }, call.api);
  const applied = updateBody(decodeUpdate(raw));
  if ('refusal' in applied) return sendRefusal(call.res, applied.refusal, call.api);
  const answer = await ctx.engine.call(
    { method: 'POST', path: `/containers/${containerId}/update`, json: applied.body, what: 'updating a container' },
    call.version,
  );
  relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, text));
}

/** `exec/<id>/start|resize|json` on an exec instance the learner created. */
export async function execAction(ctx: ProxyContext, call: ProxyCall, execId: string, action: string): Promise<void> {
  if (!ctx.execs.has(execId))
    return sendRefusal(call.res, { status: 404, message: `No such exec instance: ${execId.slice(0, 80)}` }, call.api);
  const path = `/exec/${execId}/${action}`;
  if (action === 'start') {
    const raw = await readBody(call.req, JSON_BODY_LIMIT);
    if (!raw) return sendRefusal(call.res, { status: 413, message: 'the exec start request is too large' }, call.api);
    const body = execStartBody(decodeExecStart(raw));
    // An attached exec is a raw stream: it comes as an upgrade (see the proxy's upgrade handler).
    if (!body.Detach)
      return sendRefusal(
        call.res,
        { status: 400, message: 'an attached exec needs an upgraded connection (Connection: Upgrade)' },
        call.api,
      );
    const answer = await ctx.engine.call({ method: 'POST', path, json: body, what: 'starting an exec' }, call.version);
    return relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, text));
  }
  const built = buildQuery(call.query, action === 'resize' ? { h: { int: [0, 10_000] }, w: { int: [0, 10_000] } } : {});
  if ('refusal' in built) return sendRefusal(call.res, built.refusal, call.api);
  const answer = await ctx.engine.call(
    { method: action === 'json' ? 'GET' : 'POST', path, query: built.query, what: `${action} of an exec` },
    call.version,
  );
  relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, text));
}
