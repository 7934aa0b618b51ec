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
import { config } from '../config';
import { standaloneRunSlots } from '../capacity/run-capacity';
import type { RunSlots } from '../capacity/run-slots';
import { log } from '../log';
import { buildCgroupsSupported, engineCgroupDriver } from '../sandbox/build-cgroup';
import { dockerFromEnv, learnerBaseTags } from '../sandbox/docker-engine';
import { EngineTimeoutError, withEngineDeadline } from '../sandbox/engine-deadline';
import { ensureLearnerCgroup, learnerCgroupExists, learnerCgroupParent } from '../sandbox/learner-cgroup';
import {
  learnerLimits,
  PROXY_LIMITS,
  terminalQuotas,
  type LearnerLimits,
  type ProxyLimits,
  type TerminalQuotas,
} from '../sandbox/limits';
import { routeOf, splitVersion } from './api-routes';
import { build } from './build-route';
import { containerAction, createContainer, listContainers } from './container-routes';
import { followEvents } from './events-route';
import { AnswerTooLargeError, EngineClient, engineAddress } from './engine-client';
import { engineApi, type EngineApi } from './engine-api';
import { execAction } from './exec-routes';
import { imageAction, listImages } from './image-routes';
import { ownContainers, ownImages } from './ownership';
import { sendJson, sendRefusal } from './proxy-answers';
import { SerialQueue, type ProxyCall, type ProxyContext } from './proxy-context';
import { RequestRefusal } from './request-decoder';
import { scopeOf, type Scope } from './scope';
import { upgradeStream } from './proxy-upgrade';
import type { TerminalWatches } from './terminal-watches';

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

export interface DockerProxy {
  socketPath: string;
  scope: Scope;
  close(): Promise<void>;
}

export async function startDockerProxy(options: DockerProxyOptions): Promise<DockerProxy> {
  const docker = options.docker ?? dockerFromEnv();
  const scope = scopeOf(options.owner);
  const limits = options.limits ?? PROXY_LIMITS;
  const api: EngineApi = await engineApi(docker);
  const engine = new EngineClient(engineAddress(docker), `/v${api.version}`);
  const sums = options.learnerLimits ?? learnerLimits();
  // The sum of the learner's containers is bounded by a parent cgroup where the lab can make one (the
  // engine on this host). Asked on the first container, not at start: a workstation's start does not wait.
  let aggregate: Promise<boolean> | undefined;
  const learnerCgroupsHere = async () => {
    const here =
      !config().LAB_BUILD_CGROUP_PARENT &&
      buildCgroupsSupported() &&
      (await withEngineDeadline('asking the engine for its cgroup driver', () => engineCgroupDriver(docker)).catch(
        () => '',
      )) === 'cgroupfs';
    if (!here)
      log.warn('No cgroup per learner on this engine: each terminal container keeps its own limits only', {
        owner: options.owner,
      });
    return here;
  };
  const labImageCache = { at: 0, tags: [] as string[] };
  let openStreams = 0;
  const ctx: ProxyContext = {
    docker,
    engine,
    scope,
    quotas: options.quotas ?? terminalQuotas(),
    slots: options.slots ?? standaloneRunSlots(),
    async labImages() {
      // Lab images change only when the setup rebuilds them.
      if (Date.now() - labImageCache.at < 60_000) return labImageCache.tags;
      labImageCache.tags = learnerBaseTags(
        await withEngineDeadline('listing the lab images', () =>
          docker.listImages({ filters: { reference: ['lab/*'] } }),
        ),
      );
      labImageCache.at = Date.now();
      return labImageCache.tags;
    },
    async learnerParent() {
      aggregate ??= learnerCgroupsHere();
      if (!(await aggregate)) return null;
      try {
        return ensureLearnerCgroup(scope.key, sums);
      } catch (error) {
        // A limit lowered below what the learner's containers use now is refused by the kernel: the cgroup stays as it was.
        log.warn('Failed to set the learner cgroup limits', {
          owner: scope.owner,
          error: error instanceof Error ? error.message : String(error),
        });
        return learnerCgroupExists(scope.key) ? learnerCgroupParent(scope.key) : null;
      }
    },
    execs: new Set(),
    creations: new SerialQueue(),
    holdStream(socket, res) {
      if (socket.destroyed) return null;
      if (openStreams >= limits.streams) {
        if (res)
          sendRefusal(res, {
            status: 429,
            message: `too many open streams: at most ${limits.streams} at a time per learner (docker logs -f, events, attach, exec, wait); end one and try again`,
          });
        return null;
      }
      openStreams += 1;
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        openStreams -= 1;
      };
      socket.once('close', release);
      res?.once('close', release);
      return release;
    },
    streamLifetimeMs: limits.streamLifetimeMs,
  };
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
    const url = new URL(req.url ?? '/', 'http://docker');
    const { prefix, path: apiPath } = splitVersion(url.pathname);
    const version = api.versionFor(prefix);
    const apiHeaders = { apiVersion: api.version };
    if (!version) {
      return sendRefusal(
        res,
        {
          status: 400,
          message: `client version ${prefix.slice(2, 12)} is not supported by the lab: it speaks API ${api.minVersion} to ${api.version}`,
        },
        apiHeaders,
      );
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const call: ProxyCall = { req, res, method, query: url.searchParams, version: `/v${version}`, api: apiHeaders };
    const route = routeOf(method, apiPath);
    switch (route.kind) {
      case 'ping':
        // Every CLI command starts with a ping: the lab answers it, with what the CLI needs to know.
        res.writeHead(200, {
          ...api.pingHeaders,
          'content-type': 'text/plain; charset=utf-8',
          'content-length': method === 'HEAD' ? 0 : 2,
        });
        return void res.end(method === 'HEAD' ? undefined : 'OK');
      case 'version':
        return sendJson(res, 200, api.versionBody, apiHeaders);
      case 'info': {
        // The CLI asks for /info behind some commands (swarm state); the host's details stay private.
        const containers = await ownContainers(docker, scope);
        return sendJson(
          res,
          200,
          {
            Name: 'docker-lab',
            OSType: 'linux',
            Containers: containers.length,
            ContainersRunning: containers.filter((info) => info.State === 'running').length,
            Images: (await ownImages(docker, scope)).length,
            Swarm: { LocalNodeState: 'inactive', ControlAvailable: false },
            SecurityOptions: ['name=no-new-privileges'],
          },
          apiHeaders,
        );
      }
      case 'refused':
        return sendRefusal(res, { status: 403, message: route.message }, apiHeaders);
      case 'not-found':
        return sendRefusal(res, { status: 404, message: route.message }, apiHeaders);
      case 'pull': {
        const image = `${(call.query.get('fromImage') ?? 'the image').replace(/^docker\.io\/(library\/)?/, '').slice(0, 80)}${call.query.get('tag') ? `:${call.query.get('tag')!.slice(0, 40)}` : ''}`;
        return sendRefusal(
          res,
          {
            status: 403,
            message: `there is no registry in the lab, so ${image} cannot be pulled: build your own image with docker build -t ${image} . (FROM a lab image: ${(await ctx.labImages()).join(', ')})`,
          },
          apiHeaders,
        );
      }
      case 'container-list':
        return listContainers(ctx, call);
      case 'image-list':
        return listImages(ctx, call);
      case 'events':
        return followEvents(ctx, call);
      case 'container-create':
        return createContainer(ctx, call);
      case 'container':
        return containerAction(ctx, call, route.ref, route.action);
      case 'exec':
        return execAction(ctx, call, route.ref, route.action);
      case 'image':
        return imageAction(ctx, call, route.ref, route.action);
      case 'build':
        return build(ctx, call, builds);
    }
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
