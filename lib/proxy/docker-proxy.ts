// The Docker API proxy: a unix socket per learner, served by the lab, that the learner's docker CLI
// talks to as if it were the engine. Every call is classified (api-routes.ts), its body decoded into
// a model the way the engine would read it (request-models.ts), its objects looked up among the
// learner's own (ownership.ts), and a new request built for the engine from those values alone
// (engine-client.ts): construct, never forward. Answers come back with the learner's namespace taken
// out, so `docker ps` shows `my-api` and never another learner's container.
import type Docker from 'dockerode';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { RunSlots } from '../capacity/run-slots';
import { log } from '../log';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { EngineTimeoutError } from '../sandbox/engine-deadline';
import { PROXY_LIMITS, type LearnerLimits, type ProxyLimits, type TerminalQuotas } from '../sandbox/limits';
import { AnswerTooLargeError, EngineClient, engineAddress } from './engine-client';
import { engineApi, type EngineApi } from './engine-api';
import { learnerProxyContext } from './learner-proxy-context';
import { sendRefusal } from './proxy-answers';
import { RequestRefusal } from './request-decoder';
import { scopeOf, type Scope } from './scope';
import { upgradeStream } from './proxy-upgrade';
import { serveCall } from './serve-call';
import type { TerminalWatches } from './terminal-watches';

/** What a learner's proxy is started with: whose it is, where its socket goes, and what the tests may lower. */
export interface DockerProxyOptions {
  owner: string;
  socketPath: string;
  docker?: Docker;
  quotas?: TerminalQuotas;
  /** Limits on the sum of the learner's containers (tests lower them). */
  learnerLimits?: LearnerLimits;
  /** The slots terminal builds share with runs (the server's); the standalone pool otherwise. */
  slots?: RunSlots;
  /**
   * Where the learner's terminal containers are watched: required, since the watch also enforces their
   * disk limit (a proxy without it would let a container write past 256 MiB).
   */
  watches: TerminalWatches;
  /** Bounds on connections and streams (tests lower them). */
  limits?: ProxyLimits;
}

/** A learner's running proxy: its socket, their scope on the engine, and how to close it. */
export interface DockerProxy {
  socketPath: string;
  scope: Scope;
  close(): Promise<void>;
}

/** Starts a learner's proxy: its socket listening and their terminal containers watched. */
export async function startDockerProxy(options: DockerProxyOptions): Promise<DockerProxy> {
  const docker = options.docker ?? dockerFromEnv();
  const scope = scopeOf(options.owner);
  const limits = options.limits ?? PROXY_LIMITS;
  const api: EngineApi = await engineApi(docker);
  const engine = new EngineClient(engineAddress(docker), `/v${api.version}`);
  const ctx = learnerProxyContext(options, docker, engine, scope, limits);
  const builds = { active: 0 };

  let inFlight = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Requests pipelined on one connection are handled at once by Node: the bound is on requests, not connections.
    if (inFlight >= limits.requests) {
      return sendRefusal(res, {
        status: 429,
        message: `too many requests at once: at most ${limits.requests} per learner; wait for some to finish`,
      });
    }
    inFlight += 1;
    let counted = true;
    const done = () => {
      if (counted) inFlight -= 1;
      counted = false;
    };
    res.once('close', done);
    req.socket.once('close', done);
    return serveCall(ctx, api, builds, req, res);
  }

  const server = http.createServer(
    { requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.headersTimeoutMs, keepAliveTimeout: 5_000 },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (error instanceof RequestRefusal) {
          if (!res.headersSent) return sendRefusal(res, error.refusal);
          return void res.destroy();
        }
        if (error instanceof AnswerTooLargeError) {
          if (!res.headersSent) return sendRefusal(res, { status: 502, message: error.message });
          return void res.destroy();
        }
        const timeout = error instanceof EngineTimeoutError;
        log.error('Docker proxy call failed', {
          owner: scope.owner,
          method: req.method,
          url: req.url?.slice(0, 200),
          error: error instanceof Error ? error.message : String(error),
        });
        if (!res.headersSent)
          sendRefusal(res, {
            status: timeout ? 504 : 502,
            message: timeout ? (error as Error).message : 'the lab could not reach the Docker engine; try again',
          });
        else res.destroy();
      });
    },
  );
  // Past this many connections at once the socket takes no more (a flood of `docker events`, say).
  server.maxConnections = limits.connections;

  // `docker run` (attached), `docker attach` and `docker exec` switch the connection to a raw stream.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own error listener off a socket it hands over for an upgrade: without one, a
    // client that resets the connection while the proxy reads or checks the request would throw in
    // the lab server itself (and end it for everyone).
    socket.on('error', () => socket.destroy());
    upgradeStream(ctx, api, req, socket, head).catch((error: unknown) => {
      log.error('Docker proxy stream failed', {
        owner: scope.owner,
        url: req.url?.slice(0, 200),
        error: String(error),
      });
      socket.destroy();
    });
  });

  fs.mkdirSync(path.dirname(options.socketPath), { recursive: true, mode: 0o700 });
  fs.rmSync(options.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Only the learner's workstation reaches the socket (it is mounted there alone); the mode lets its user in.
  fs.chmodSync(options.socketPath, 0o666);
  // Everything the learner starts is watched from its start (its disk limit with it), page or no page.
  await options.watches
    .for(options.owner)
    .catch((error: unknown) =>
      log.warn("Failed to watch a learner's terminal containers", { owner: scope.owner, error: String(error) }),
    );

  return {
    socketPath: options.socketPath,
    scope,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      engine.close();
      fs.rmSync(options.socketPath, { force: true });
      await options.watches.end(options.owner);
    },
  };
}
