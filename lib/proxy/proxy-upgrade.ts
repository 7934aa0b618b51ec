// Upgrade requests of a learner's CLI (`docker run` attached, `docker attach`, `docker exec`): checked
// like any call, their body read (bounded) and decoded into its model, then a new upgrade request
// built for the engine and joined only if the engine switches protocols (stream-upgrade.ts).
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { engineTimeoutMs } from '../sandbox/engine-deadline';
import { routeOf, splitVersion } from './api-routes';
import type { EngineApi } from './engine-api';
import { execStartBody } from './exec-policy';
import { findContainer } from './ownership';
import { withoutHostPaths } from './proxy-answers';
import type { ProxyContext } from './proxy-context';
import { buildQuery, DETACH_KEYS_PARAM } from './query-model';
import { JSON_BODY_LIMIT } from './request-body';
import { RequestRefusal } from './request-decoder';
import { decodeExecStart } from './request-models';
import { stripScope } from './scope';
import { joinStream, refuseUpgrade } from './stream-upgrade';

/** The request's body (Content-Length bytes, from `head` then the socket) and what the client sent after it. */
function readUpgradeBody(
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ms: number,
): Promise<{ body: Buffer; early: Buffer } | null> {
  if (req.headers['transfer-encoding']) return Promise.resolve(null);
  const length = Number(req.headers['content-length'] ?? 0);
  if (!Number.isInteger(length) || length < 0 || length > JSON_BODY_LIMIT) return Promise.resolve(null);
  return new Promise((resolve) => {
    let buffered = head;
    const done = (result: { body: Buffer; early: Buffer } | null) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      resolve(result);
    };
    const check = () => {
      if (buffered.length >= length) done({ body: buffered.subarray(0, length), early: buffered.subarray(length) });
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      check();
    };
    const timer = setTimeout(() => done(null), ms);
    socket.on('data', onData);
    socket.resume();
    check();
  });
}

const ATTACH_QUERY = {
  stream: 'bool',
  stdin: 'bool',
  stdout: 'bool',
  stderr: 'bool',
  logs: 'bool',
  detachKeys: DETACH_KEYS_PARAM,
} as const;

export async function upgradeStream(
  ctx: ProxyContext,
  api: EngineApi,
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://docker');
  const { prefix, path: apiPath } = splitVersion(url.pathname);
  const version = api.versionFor(prefix);
  if (!version) return refuseUpgrade(socket, 400, `client version ${prefix.slice(2, 12)} is not supported by the lab`);
  const route = routeOf((req.method ?? 'POST').toUpperCase(), apiPath);
  let path: string;
  let query = new URLSearchParams();
  let body: Buffer | undefined;
  const read = await readUpgradeBody(req, socket, head, 10_000);
  if (!read) return refuseUpgrade(socket, 400, 'the stream request has no readable body');
  if ((req.method ?? '').toUpperCase() !== 'POST')
    return refuseUpgrade(socket, 403, 'this stream is not available in the lab');
  if (route.kind === 'container' && route.action === 'attach') {
    const lookup = await findContainer(ctx.docker, ctx.scope, route.ref);
    if (!('found' in lookup))
      return refuseUpgrade(
        socket,
        'missing' in lookup ? 404 : 400,
        'missing' in lookup ? lookup.missing : lookup.ambiguous,
      );
    const built = buildQuery(url.searchParams, ATTACH_QUERY);
    if ('refusal' in built) return refuseUpgrade(socket, built.refusal.status, built.refusal.message);
    path = `/containers/${lookup.found.Id}/attach`;
    query = built.query;
  } else if (route.kind === 'exec' && route.action === 'start') {
    if (!ctx.execs.has(route.ref))
      return refuseUpgrade(socket, 404, `No such exec instance: ${route.ref.slice(0, 80)}`);
    try {
      body = Buffer.from(JSON.stringify(execStartBody(decodeExecStart(read.body))), 'utf8');
    } catch (error) {
      if (error instanceof RequestRefusal) return refuseUpgrade(socket, error.refusal.status, error.refusal.message);
      throw error;
    }
    path = `/exec/${route.ref}/start`;
  } else {
    return refuseUpgrade(socket, 403, 'this stream is not available in the lab');
  }
  const release = ctx.holdStream(socket);
  if (!release) {
    return refuseUpgrade(
      socket,
      429,
      'too many open streams: at most a few at a time per learner (docker logs -f, events, attach, exec); end one and try again',
    );
  }
  try {
    await joinStream(socket, ctx.engine, {
      target: ctx.engine.target({ path, query }, `/v${version}`),
      body,
      early: read.early,
      answerMs: engineTimeoutMs(),
      lifetimeMs: ctx.streamLifetimeMs,
      rewrite: (text) => withoutHostPaths(stripScope(ctx.scope, text)),
    });
  } finally {
    release();
  }
}
