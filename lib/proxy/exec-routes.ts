// The exec calls of a learner's docker CLI: creating an exec instance in one of their containers (at most
// MAX_EXECS unfinished), and start, resize and inspect of the instances they created.
import { execCreateBody, execStartBody } from './exec-policy';
import { relay, sendRefusal } from './proxy-answers';
import type { ProxyCall, ProxyContext } from './proxy-context';
import { buildQuery } from './query-model';
import { JSON_BODY_LIMIT, readBody } from './request-body';
import { decodeExecCreate, decodeExecStart } from './request-models';
import { stripScope } from './scope';

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

/** `exec` on a container of the learner: the instance created, counted against MAX_EXECS. */
export async function createExec(ctx: ProxyContext, call: ProxyCall, containerId: string): Promise<void> {
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
