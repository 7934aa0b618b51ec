// The container calls of a learner's docker CLI: list, create and the actions on one container (inspect,
// logs, top, start, stop, kill, wait, rm, update, ...; exec: exec-routes.ts). Each looks the container
// up among the learner's own, then builds the engine's request from checked parts.
import type Docker from 'dockerode';
import { withEngineDeadline } from '../sandbox/engine-deadline';
import { healthcheckWithFloor, containerCreateBody, updateBody } from './container-policy';
import { createExec } from './exec-routes';
import { lookupRefusal } from './lookup-refusal';
import { withOwnerFilters } from './owner-filters';
import { CONTAINER_NAME, findContainer, findImage, ownContainers, ownerFilters, WORKSTATION_LABEL } from './ownership';
import { relay, sendJson, sendRefusal } from './proxy-answers';
import type { ProxyCall, ProxyContext } from './proxy-context';
import { buildQuery, DETACH_KEYS_PARAM, PS_ARGS_PARAM, SIGNAL_PARAM, TIME_PARAM, type QuerySpec } from './query-model';
import { JSON_BODY_LIMIT, readBody } from './request-body';
import { decodeCreate, decodeUpdate } from './request-models';
import { stripScope, terminalLabels, engineContainerName } from './scope';
import { scrubInspect } from './scrub-inspect';
import { relayStream } from './stream-relay';

/** `docker ps`: the learner's containers only, the workstation left out. */
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

/** `docker create` (and run): the learner's image resolved, the body built by the policy, the quota counted. */
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

/** An action on one of the learner's containers (`containers/<ref>/<action>`, or rm when there is none). */
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
