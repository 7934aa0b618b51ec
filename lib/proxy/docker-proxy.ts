// The Docker API proxy: a unix socket per learner, served by the lab, that the learner's docker CLI
// talks to as if it were the engine. Every call is classified (policy.ts), scoped to the learner's own
// objects (ownership.ts), rewritten into the learner's namespace on the engine (scope.ts) and forwarded;
// answers are rewritten back, so `docker ps` shows `my-api` and never another learner's container.
import type Docker from 'dockerode';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { log } from '../log';
import { defaultRunSlots } from '../runner/run-capacity';
import { buildCgroupsSupported, createBuildCgroup, engineCgroupDriver, SYSTEMD_DRIVER_MESSAGE, type BuildCgroup } from '../sandbox/build-cgroup';
import { dockerFromEnv, learnerBaseTags } from '../sandbox/docker-engine';
import { checkDockerfile, parseDockerfile } from '../sandbox/dockerfile-rules';
import { BUILD_CGROUP_PREFIX, killCgroupProcesses } from '../sandbox/image-builder';
import { RUN_LABEL } from '../sandbox/labels';
import { ensureLearnerCgroup, learnerCgroupExists, learnerCgroupParent, removeLearnerCgroup } from '../sandbox/learner-cgroup';
import { BUILD_LIMITS, learnerLimits, RUN_LIMITS, terminalQuotas, type LearnerLimits, type TerminalQuotas } from '../sandbox/limits';
import { splitLines } from '../sandbox/line-splitter';
import {
  findContainer,
  findImage,
  labImageInfos,
  ownContainers,
  ownerFilters,
  ownImageBytes,
  ownImages,
  WORKSTATION_LABEL,
  withTag,
  type Lookup,
} from './ownership';
import { admitBuild, buildErrorLine, refusalMessage } from './build-admission';
import { applyBuildPolicy, applyCreatePolicy, applyExecPolicy, routeOf, splitVersion, type Refusal } from './policy';
import { engineContainerName, scopeOf, stripScope, terminalLabels, type Scope } from './scope';

export interface DockerProxyOptions {
  owner: string;
  socketPath: string;
  docker?: Docker;
  quotas?: TerminalQuotas;
  /** Limits on the sum of the learner's containers (tests lower them). */
  learnerLimits?: LearnerLimits;
  /** Called on every API call (the workstation's idle timer). */
  onActivity?: () => void;
}

export interface DockerProxy {
  socketPath: string;
  scope: Scope;
  close(): Promise<void>;
}

/** Where the engine listens, for raw connections (hijacked streams) and plain forwarding. */
function engineAddress(docker: Docker): { socketPath: string } | { host: string; port: number } {
  const modem = (docker as unknown as { modem: { socketPath?: string; host?: string; port?: number } }).modem;
  if (modem.socketPath) return { socketPath: modem.socketPath };
  return { host: modem.host ?? 'localhost', port: Number(modem.port ?? 2375) };
}

/** The engine's error answer, as the CLI expects it. */
function sendError(res: http.ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify({ message: refusal.message });
  res.writeHead(refusal.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function lookupRefusal<T>(lookup: Lookup<T>): Refusal | null {
  if ('missing' in lookup) return { status: 404, message: lookup.missing };
  if ('ambiguous' in lookup) return { status: 400, message: lookup.ambiguous };
  return null;
}

async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const JSON_BODY_LIMIT = 1024 * 1024;

export async function startDockerProxy(options: DockerProxyOptions): Promise<DockerProxy> {
  const docker = options.docker ?? dockerFromEnv();
  const scope = scopeOf(options.owner);
  const quotas = options.quotas ?? terminalQuotas();
  const engine = engineAddress(docker);
  const execs = new Set<string>();
  const limits = options.learnerLimits ?? learnerLimits();
  // The sum of the learner's containers is bounded by a parent cgroup where the lab can make one (the
  // engine on this host); on a remote engine each container keeps its own limits only.
  // Asked on the first container, not at start: a workstation's start does not wait for the engine's info.
  let aggregate: Promise<boolean> | undefined;
  const learnerCgroupsHere = async () => {
    const here = !process.env.LAB_BUILD_CGROUP_PARENT && buildCgroupsSupported() && (await engineCgroupDriver(docker).catch(() => '')) === 'cgroupfs';
    if (!here) log.warn('No cgroup per learner on this engine: each terminal container keeps its own limits only', { owner: options.owner });
    return here;
  };
  /** The learner's parent cgroup, made or renewed with its limits; null where the lab cannot make one. */
  async function learnerParent(): Promise<string | null> {
    aggregate ??= learnerCgroupsHere();
    if (!(await aggregate)) return null;
    try {
      return ensureLearnerCgroup(scope.key, limits);
    } catch (error) {
      // A limit lowered below what the learner's containers use now is refused by the kernel: the cgroup stays as it was.
      log.warn('Failed to set the learner cgroup limits', { owner: scope.owner, error: error instanceof Error ? error.message : String(error) });
      return learnerCgroupExists(scope.key) ? learnerCgroupParent(scope.key) : null;
    }
  }
  // Short calls reuse connections to the engine; streams that may last (logs -f, events, wait, build)
  // get their own.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let builds = 0;
  const labImageCache = { at: 0, tags: [] as string[] };
  let pingCache: { at: number; headers: http.IncomingHttpHeaders; body: Buffer } | null = null;

  async function labImages(): Promise<string[]> {
    // Lab images change only when the setup rebuilds them.
    if (Date.now() - labImageCache.at < 60_000) return labImageCache.tags;
    labImageCache.tags = learnerBaseTags(await docker.listImages({ filters: { reference: ['lab/*'] } }));
    labImageCache.at = Date.now();
    return labImageCache.tags;
  }

  /** Sends a request to the engine and hands back its response (not yet read). */
  function upstream(method: string, target: string, headers: http.IncomingHttpHeaders, body?: Buffer | NodeJS.ReadableStream, long = false): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const forwarded: http.OutgoingHttpHeaders = { ...headers, host: 'docker' };
      delete forwarded.connection;
      delete forwarded['keep-alive'];
      if (Buffer.isBuffer(body)) {
        forwarded['content-length'] = body.length;
        delete forwarded['transfer-encoding'];
      }
      const request = http.request({ ...engine, method, path: target, headers: forwarded, agent: long ? false : agent }, resolve);
      request.on('error', reject);
      if (Buffer.isBuffer(body)) request.end(body);
      else if (body) body.pipe(request);
      else request.end();
    });
  }

  /** Copies the engine's answer to the CLI as it streams (logs -f, wait, attach-less streams). */
  function pipeBack(res: http.ServerResponse, answer: http.IncomingMessage, transform?: (text: string) => string | null): void {
    const headers = { ...answer.headers };
    if (transform) delete headers['content-length'];
    // A build that waited for a slot has answered 200 already, with its place in the queue.
    if (!res.headersSent) res.writeHead(answer.statusCode ?? 502, headers);
    res.flushHeaders();
    res.on('close', () => answer.destroy());
    if (!transform) {
      answer.pipe(res);
      return;
    }
    const lines = splitLines((line) => {
      const out = transform(line);
      if (out !== null) res.write(`${out}\n`);
    });
    answer.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    answer.on('end', () => {
      lines.flush();
      res.end();
    });
    answer.on('error', () => res.destroy());
  }

  /** Forwards and sends the whole answer back with the learner's namespace taken out of it. */
  async function forwardRewritten(res: http.ServerResponse, method: string, target: string, headers: http.IncomingHttpHeaders, body?: Buffer, rewrite: (text: string) => string = (text) => stripScope(scope, text)): Promise<void> {
    const answer = await upstream(method, target, headers, body);
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    const text = rewrite(Buffer.concat(chunks).toString('utf8'));
    const out = { ...answer.headers };
    delete out['transfer-encoding'];
    out['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(answer.statusCode ?? 502, out);
    res.end(text);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    options.onActivity?.();
    const url = new URL(req.url ?? '/', 'http://docker');
    const { prefix, path: apiPath } = splitVersion(url.pathname);
    const route = routeOf(req.method ?? 'GET', apiPath);
    const method = req.method ?? 'GET';
    const query = url.searchParams;
    const target = (p: string, q: URLSearchParams = query) => `${prefix}${p}${q.toString() ? `?${q}` : ''}`;

    switch (route.kind) {
      case 'ping': {
        // Every CLI command starts with a ping: the engine's answer (its API version) is kept a minute.
        if (!pingCache || Date.now() - pingCache.at > 60_000 || (method !== 'GET' && method !== 'HEAD')) {
          const answer = await upstream(method === 'HEAD' ? 'HEAD' : 'GET', target(apiPath), req.headers);
          const chunks: Buffer[] = [];
          for await (const chunk of answer) chunks.push(chunk as Buffer);
          if (answer.statusCode !== 200) {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
            return;
          }
          const headers = { ...answer.headers };
          delete headers.date;
          delete headers['content-length'];
          delete headers['transfer-encoding'];
          pingCache = { at: Date.now(), headers, body: method === 'HEAD' ? (pingCache?.body ?? Buffer.from('OK')) : Buffer.concat(chunks) };
        }
        res.writeHead(200, { ...pingCache.headers, 'content-length': pingCache.body.length });
        res.end(method === 'HEAD' ? undefined : pingCache.body);
        return;
      }
      case 'version': {
        const answer = await upstream(method, target(apiPath), req.headers);
        pipeBack(res, answer);
        return;
      }
      case 'refused':
        sendError(res, { status: 403, message: route.message });
        return;
      case 'info': {
        // The CLI asks for /info behind some commands (swarm state); the host's details stay private.
        const containers = await ownContainers(docker, scope);
        const body = JSON.stringify({
          Name: 'docker-lab',
          OSType: 'linux',
          Containers: containers.length,
          ContainersRunning: containers.filter((info) => info.State === 'running').length,
          Images: (await ownImages(docker, scope)).length,
          Swarm: { LocalNodeState: 'inactive', ControlAvailable: false },
          SecurityOptions: ['name=no-new-privileges'],
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      case 'not-found':
        sendError(res, { status: 404, message: route.message });
        return;
      case 'pull': {
        const image = `${(query.get('fromImage') ?? 'the image').replace(/^docker\.io\/(library\/)?/, '')}${query.get('tag') ? `:${query.get('tag')}` : ''}`;
        sendError(res, {
          status: 403,
          message: `there is no registry in the lab, so ${image} cannot be pulled: build your own image with docker build -t ${image} . (FROM a lab image: ${(await labImages()).join(', ')})`,
        });
        return;
      }
      case 'container-list': {
        const q = withOwnerFilters(query, scope);
        await forwardRewritten(res, method, target(apiPath, q), req.headers, undefined, (text) => {
          try {
            const list = (JSON.parse(text) as Docker.ContainerInfo[]).filter((info) => !info.Labels?.[WORKSTATION_LABEL]);
            return stripScope(scope, JSON.stringify(list));
          } catch {
            return stripScope(scope, text);
          }
        });
        return;
      }
      case 'image-list': {
        const all = await docker.listImages();
        const own = await ownImages(docker, scope, all);
        const lab = await labImageInfos(docker, await labImages(), all);
        const allowedLab = new Set((await labImages()).map(withTag));
        const list = [
          ...own.map((info) => ({
            ...info,
            RepoTags: (info.RepoTags ?? []).filter((tag) => tag.startsWith(scope.imagePrefix)),
            RepoDigests: [],
          })),
          ...lab.map((info) => ({ ...info, RepoTags: (info.RepoTags ?? []).filter((tag) => allowedLab.has(tag)), RepoDigests: [] })),
        ].map((info) => (info.RepoTags.length ? info : { ...info, RepoTags: ['<none>:<none>'] }));
        const body = stripScope(scope, JSON.stringify(list));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      case 'events': {
        const q = withOwnerFilters(query, scope);
        const answer = await upstream(method, target(apiPath, q), req.headers, undefined, true);
        pipeBack(res, answer, (line) => {
          if (!line.trim()) return null;
          try {
            const event = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
            if (event.Actor?.Attributes?.[WORKSTATION_LABEL]) return null;
          } catch {
            /* pass through as text */
          }
          return stripScope(scope, line);
        });
        return;
      }
      case 'container-create':
        await createContainer(req, res, target, query);
        return;
      case 'container': {
        const lookup = await findContainer(docker, scope, route.ref);
        const refusal = lookupRefusal(lookup);
        if (refusal || !('found' in lookup)) return sendError(res, refusal!);
        const id = lookup.found.Id;
        const p = `/containers/${id}${route.action ? `/${route.action}` : ''}`;
        if (route.action === 'exec') {
          const body = await readBody(req, JSON_BODY_LIMIT);
          if (!body) return sendError(res, { status: 413, message: 'the exec request is too large' });
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(body.toString('utf8') || '{}');
          } catch {
            return sendError(res, { status: 400, message: 'the exec request is not valid JSON' });
          }
          const execRefusal = applyExecPolicy(parsed);
          if (execRefusal) return sendError(res, execRefusal);
          await forwardRewritten(res, method, target(p), req.headers, body, (text) => {
            try {
              const created = JSON.parse(text) as { Id?: string };
              if (created.Id) execs.add(created.Id);
            } catch {
              /* an error answer */
            }
            return stripScope(scope, text);
          });
          return;
        }
        if (route.action === 'json') {
          if (lookup.found.inspect && !query.has('size')) {
            const body = stripScope(scope, JSON.stringify(lookup.found.inspect));
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
            res.end(body);
            return;
          }
          await forwardRewritten(res, method, target(p), req.headers);
          return;
        }
        if (method === 'DELETE') {
          // Anonymous volumes (an image's VOLUME) go with their container: nothing is left on the host.
          const q = new URLSearchParams(query);
          q.set('v', '1');
          const answer = await upstream(method, target(p, q), req.headers);
          pipeBack(res, answer);
          return;
        }
        // A container starts inside the learner's cgroup: it is back with its limits if it was removed meanwhile.
        if (route.action === 'start' || route.action === 'restart') await learnerParent();
        const answer = await upstream(method, target(p), req.headers, req, !['top', 'changes', 'resize'].includes(route.action));
        pipeBack(res, answer);
        return;
      }
      case 'exec': {
        if (!execs.has(route.ref)) return sendError(res, { status: 404, message: `No such exec instance: ${route.ref}` });
        const answer = await upstream(method, target(`/exec/${route.ref}/${route.action}`), req.headers, req);
        if (route.action === 'json') {
          const chunks: Buffer[] = [];
          for await (const chunk of answer) chunks.push(chunk as Buffer);
          const text = stripScope(scope, Buffer.concat(chunks).toString('utf8'));
          res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
        pipeBack(res, answer);
        return;
      }
      case 'image':
        await imageCall(req, res, route.ref, route.action, route.method, target, query);
        return;
      case 'build':
        await build(req, res, target, query);
        return;
    }
  }

  async function createContainer(req: http.IncomingMessage, res: http.ServerResponse, target: (p: string, q?: URLSearchParams) => string, query: URLSearchParams) {
    const raw = await readBody(req, JSON_BODY_LIMIT);
    if (!raw) return sendError(res, { status: 413, message: 'the create request is too large' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendError(res, { status: 400, message: 'the create request is not valid JSON' });
    }
    const applied = applyCreatePolicy(body, terminalLabels(scope), RUN_LIMITS);
    if ('refusal' in applied) return sendError(res, applied.refusal);
    const name = query.get('name');
    if (name && !/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) {
      return sendError(res, { status: 400, message: `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed` });
    }
    const image = await findImage(docker, scope, String(applied.body.Image ?? ''), await labImages());
    const imageRefusal = lookupRefusal(image);
    if (imageRefusal || !('found' in image)) return sendError(res, imageRefusal!);
    const existing = await ownContainers(docker, scope);
    if (existing.length >= quotas.containers) {
      return sendError(res, {
        status: 403,
        message: `quota reached: at most ${quotas.containers} containers per learner; remove one with docker rm`,
      });
    }
    const q = new URLSearchParams(query);
    // Without a name the engine makes one up (eager_turing), as Docker does; ownership is by label.
    if (name) q.set('name', engineContainerName(scope, name));
    const parent = await learnerParent();
    const out = { ...applied.body, Image: image.found.engineRef, HostConfig: { ...applied.body.HostConfig, ...(parent ? { CgroupParent: parent } : {}) } };
    await forwardRewritten(res, 'POST', target('/containers/create', q), { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(out)));
  }

  async function imageCall(req: http.IncomingMessage, res: http.ServerResponse, ref: string, action: string, method: string, target: (p: string, q?: URLSearchParams) => string, query: URLSearchParams) {
    const lookup = await findImage(docker, scope, ref, await labImages());
    const refusal = lookupRefusal(lookup);
    if (refusal || !('found' in lookup)) return sendError(res, refusal!);
    const image = lookup.found;
    if (method === 'DELETE') {
      if (!image.own) return sendError(res, { status: 403, message: `${ref} is a lab image: it cannot be removed` });
      const q = new URLSearchParams();
      if (query.get('force')) q.set('force', query.get('force')!);
      // The untagged parents are the lab's shared build cache (another learner's build may be using
      // one this very moment): only the image goes; the reaper prunes old cache entries.
      q.set('noprune', '1');
      await forwardRewritten(res, method, target(`/images/${image.engineRef}`, q), req.headers);
      return;
    }
    if (action === 'tag') {
      if (!image.own) return sendError(res, { status: 403, message: `${ref} is a lab image: build FROM it rather than tagging it` });
      const repo = query.get('repo') ?? '';
      if (!repo) return sendError(res, { status: 400, message: 'docker tag needs a target name' });
      const own = await ownImages(docker, scope);
      if (own.length >= quotas.images && !own.some((info) => info.Id === image.id)) {
        return sendError(res, { status: 403, message: `quota reached: at most ${quotas.images} images per learner; remove one with docker rmi` });
      }
      const q = new URLSearchParams({ repo: `${scope.imagePrefix}${repo.replace(/^docker\.io\/(library\/)?/, '')}` });
      if (query.get('tag')) q.set('tag', query.get('tag')!);
      await forwardRewritten(res, method, target(`/images/${image.engineRef}/tag`, q), req.headers);
      return;
    }
    await forwardRewritten(res, method, target(`/images/${image.engineRef}/${action}`), req.headers);
  }

  async function build(req: http.IncomingMessage, res: http.ServerResponse, target: (p: string, q?: URLSearchParams) => string, query: URLSearchParams) {
    const policy = applyBuildPolicy(query);
    if ('refusal' in policy) return sendError(res, policy.refusal);
    if (builds >= quotas.concurrentBuilds) {
      return sendError(res, { status: 429, message: `quota reached: ${quotas.concurrentBuilds} build at a time per learner; wait for the other one to finish` });
    }
    builds += 1;
    let cgroup: BuildCgroup | null = null;
    let releaseSlot: (() => void) | null = null;
    try {
      const all = await docker.listImages();
      const own = await ownImages(docker, scope, all);
      const labs = await labImages();
      const tags = policy.query.getAll('t');
      const newTags = tags.filter((tag) => !own.some((info) => (info.RepoTags ?? []).includes(`${scope.imagePrefix}${withTag(tag)}`)));
      if (own.length + (newTags.length ? 1 : 0) > quotas.images) {
        return sendError(res, { status: 403, message: `quota reached: at most ${quotas.images} images per learner; remove one with docker rmi` });
      }
      const used = await ownImageBytes(docker, own, await labImageInfos(docker, labs, all));
      if (used >= quotas.imageBytes) {
        return sendError(res, {
          status: 403,
          message: `quota reached: your images use ${Math.round(used / 1048576)} MiB of ${Math.round(quotas.imageBytes / 1048576)} MiB; remove some with docker rmi`,
        });
      }
      const raw = await readBody(req, quotas.buildContextBytes);
      if (!raw) return sendError(res, { status: 413, message: `the build context is larger than ${Math.round(quotas.buildContextBytes / 1048576)} MiB` });
      const dockerfileName = policy.query.get('dockerfile') || 'Dockerfile';
      const ownTags = own.flatMap((info) => (info.RepoTags ?? []).filter((tag) => tag.startsWith(scope.imagePrefix)).map((tag) => tag.slice(scope.imagePrefix.length)));
      const context = await rewriteContext(raw, dockerfileName, labs, ownTags, scope);
      if ('refusal' in context) return sendError(res, context.refusal);
      const q = new URLSearchParams(policy.query);
      q.delete('t');
      for (const tag of tags) q.append('t', `${scope.imagePrefix}${tag.replace(/^docker\.io\/(library\/)?/, '')}`);
      q.set('memory', String(BUILD_LIMITS.memoryBytes));
      q.set('memswap', String(BUILD_LIMITS.memoryBytes));
      q.set('cpuquota', String(BUILD_LIMITS.cpuQuota));
      q.set('cpuperiod', String(BUILD_LIMITS.cpuPeriod));
      releaseSlot = await admitBuild(defaultRunSlots(), scope.owner, res);
      if (!releaseSlot) return;
      const configuredParent = process.env.LAB_BUILD_CGROUP_PARENT;
      if (configuredParent) q.set('cgroupparent', configuredParent);
      else if (buildCgroupsSupported() && (await engineCgroupDriver(docker)) !== 'systemd') {
        cgroup = createBuildCgroup(`${BUILD_CGROUP_PREFIX}${scope.runId}-${Date.now().toString(36)}`, BUILD_LIMITS);
        q.set('cgroupparent', cgroup.parent);
      } else {
        const message = buildCgroupsSupported() ? SYSTEMD_DRIVER_MESSAGE : 'builds need a process limit and the lab cannot make one on this engine';
        return res.headersSent ? void res.end(buildErrorLine(message)) : sendError(res, { status: 503, message });
      }
      const answer = await upstream('POST', target('/build', q), { 'content-type': 'application/x-tar' }, context.tar, true);
      if (res.headersSent && answer.statusCode !== 200) {
        // The CLI has its 200 already (the build waited): the engine's refusal becomes a failed build.
        const chunks: Buffer[] = [];
        for await (const chunk of answer) chunks.push(chunk as Buffer);
        const text = Buffer.concat(chunks).toString('utf8');
        return void res.end(buildErrorLine(stripScope(scope, refusalMessage(text))));
      }
      const timer = setTimeout(() => {
        answer.destroy();
        if (cgroup) killCgroupProcesses(cgroup.parent);
        res.end(`${JSON.stringify({ errorDetail: { message: 'the build ran past its deadline and was stopped' }, error: `the build ran past its ${Math.round(BUILD_LIMITS.deadlineMs / 1000)} s deadline and was stopped` })}\n`);
      }, BUILD_LIMITS.deadlineMs);
      await new Promise<void>((resolve) => {
        const hideLabelStep = labelStepHider();
        pipeBack(res, answer, (line) => (line.trim() ? hideLabelStep(stripScope(scope, line)) : null));
        res.on('close', resolve);
        answer.on('close', resolve);
      });
      clearTimeout(timer);
    } finally {
      builds -= 1;
      releaseSlot?.();
      await cgroup?.remove().catch(() => undefined);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('Docker proxy call failed', { owner: scope.owner, method: req.method, url: req.url, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendError(res, { status: 502, message: 'the lab could not reach the Docker engine; try again' });
      else res.destroy();
    });
  });

  // `docker run` (attached) and `docker exec` switch the connection to a raw stream: the request is
  // checked like any other, then the two sockets are joined.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    options.onActivity?.();
    upgrade(req, socket, head).catch((error: unknown) => {
      log.error('Docker proxy stream failed', { owner: scope.owner, url: req.url, error: String(error) });
      socket.destroy();
    });
  });

  async function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://docker');
    const { prefix, path: apiPath } = splitVersion(url.pathname);
    const route = routeOf(req.method ?? 'POST', apiPath);
    const refuse = (refusal: Refusal) => {
      const body = JSON.stringify({ message: refusal.message });
      socket.end(`HTTP/1.1 ${refusal.status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    let enginePath: string;
    if (route.kind === 'container' && route.action === 'attach') {
      const lookup = await findContainer(docker, scope, route.ref);
      const refusal = lookupRefusal(lookup);
      if (refusal || !('found' in lookup)) return refuse(refusal!);
      enginePath = `${prefix}/containers/${lookup.found.Id}/attach${url.search}`;
    } else if (route.kind === 'exec' && route.action === 'start') {
      if (!execs.has(route.ref)) return refuse({ status: 404, message: `No such exec instance: ${route.ref}` });
      enginePath = `${prefix}/exec/${route.ref}/start${url.search}`;
    } else {
      return refuse({ status: 403, message: 'this stream is not available in the lab' });
    }
    const upstreamSocket = 'socketPath' in engine ? net.connect({ path: engine.socketPath }) : net.connect(engine);
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('error', () => upstreamSocket.destroy());
    const lines = [`${req.method} ${enginePath} HTTP/1.1`, 'Host: docker'];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const key = req.rawHeaders[i];
      if (key.toLowerCase() === 'host') continue;
      lines.push(`${key}: ${req.rawHeaders[i + 1]}`);
    }
    upstreamSocket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) upstreamSocket.write(head);
    socket.pipe(upstreamSocket);
    upstreamSocket.pipe(socket);
    socket.on('close', () => upstreamSocket.destroy());
    upstreamSocket.on('close', () => socket.destroy());
  }

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

  return {
    socketPath: options.socketPath,
    scope,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
      fs.rmSync(options.socketPath, { force: true });
    },
  };
}

/**
 * The build output without the lab's own last step (the LABEL that marks the image as the learner's),
 * so the steps the learner sees are the steps of their Dockerfile.
 */
function labelStepHider(): (line: string) => string | null {
  let hiding = false;
  return (line) => {
    let message: { stream?: string; aux?: unknown; error?: string };
    try {
      message = JSON.parse(line);
    } catch {
      return line;
    }
    const text = message.stream ?? '';
    const step = /^Step (\d+)\/(\d+) : (.*)/s.exec(text);
    if (step) {
      if (step[3].startsWith(`LABEL ${RUN_LABEL}=`)) {
        hiding = true;
        return null;
      }
      return JSON.stringify({ ...message, stream: `Step ${step[1]}/${Number(step[2]) - 1} : ${step[3]}` });
    }
    if (hiding && message.stream !== undefined && !/^Successfully/.test(text)) return null;
    return line;
  };
}

/** Removes every container and image the learner made from the terminal (the workstation's end). */
export async function removeTerminalResources(owner: string, docker: Docker = dockerFromEnv()): Promise<void> {
  const scope = scopeOf(owner);
  for (const info of await ownContainers(docker, scope)) {
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  for (const info of await ownImages(docker, scope)) {
    await docker.getImage(info.Id).remove({ force: true, noprune: true }).catch(() => undefined);
  }
  await removeLearnerCgroup(scope.key);
}

/** The query with the learner's label filters added to whatever filters the CLI sent (they AND). */
function withOwnerFilters(query: URLSearchParams, scope: Scope): URLSearchParams {
  const filters = parseFilters(query.get('filters'));
  filters.label = [...(filters.label ?? []), ...ownerFilters(scope)];
  const q = new URLSearchParams(query);
  q.set('filters', JSON.stringify(filters));
  return q;
}

function parseFilters(raw: string | null): Record<string, string[]> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as Record<string, string[] | Record<string, boolean>>;
    // Older CLIs send {"label": {"a=b": true}}; newer ones {"label": ["a=b"]}.
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, Array.isArray(value) ? value : Object.keys(value)]));
  } catch {
    return {};
  }
}

/**
 * Reads the build context the CLI sent, checks its Dockerfile with the lab's rules (lab images or the
 * learner's own images as bases), points FROM lines at the learner's namespace and appends the labels.
 */
async function rewriteContext(raw: Buffer, dockerfileName: string, labImages: string[], ownTags: string[], scope: Scope): Promise<{ tar: Buffer } | { refusal: Refusal }> {
  const input = raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
  const extract = tar.extract();
  const pack = tar.pack();
  const wanted = path.posix.normalize(dockerfileName.replace(/^\.\//, ''));
  let refusal: Refusal | null = null;
  let found = false;
  const ownNames = ownTags.flatMap((tag) => (tag.endsWith(':latest') ? [tag, tag.slice(0, -':latest'.length)] : [tag]));
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        let content = Buffer.concat(chunks);
        if (path.posix.normalize(header.name.replace(/^\.\//, '')) === wanted && header.type === 'file') {
          found = true;
          const text = content.toString('utf8');
          const problems = checkDockerfile(text, [...labImages, ...ownNames], dockerfileName);
          if (problems.length) {
            refusal = {
              status: 400,
              message: problems.map((p) => `${p.file}${p.line ? ` line ${p.line}` : ''}: ${p.message}`).join('; '),
            };
          } else {
            content = Buffer.from(pointFromAtNamespace(text, ownNames, labImages, scope), 'utf8');
          }
        }
        pack.entry({ ...header, size: content.length }, content, () => next());
      });
      stream.on('error', reject);
    });
    extract.on('finish', () => resolve());
    extract.on('error', reject);
  });
  extract.end(input);
  try {
    await done;
  } catch (error) {
    return { refusal: { status: 400, message: `the build context is not a valid tar archive: ${String(error)}` } };
  }
  pack.finalize();
  if (refusal) return { refusal };
  if (!found) return { refusal: { status: 400, message: `Cannot locate specified Dockerfile: ${dockerfileName}` } };
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return { tar: Buffer.concat(chunks) };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * FROM lines and `COPY --from=` flags that name the learner's own images now name them in the
 * learner's namespace; a stage of the same name (defined above) stays the stage, as Docker reads it.
 */
function pointFromAtNamespace(text: string, ownNames: string[], labImages: string[], scope: Scope): string {
  const lines = text.split('\n');
  const own = new Set(ownNames.map((name) => name.toLowerCase()));
  const stages = new Set<string>();
  const isOwn = (image: string) => own.has(image.toLowerCase()) && !labImages.includes(image) && !stages.has(image.toLowerCase());
  for (const instruction of parseDockerfile(text).instructions) {
    const index = instruction.line - 1;
    if (instruction.keyword === 'FROM') {
      const [image, as, alias] = instruction.args.split(/\s+/);
      if (isOwn(image)) lines[index] = lines[index].replace(new RegExp(`^(\\s*FROM\\s+)${escapeRegExp(image)}`, 'i'), `$1${scope.imagePrefix}${image}`);
      if (as?.toUpperCase() === 'AS' && alias) stages.add(alias.toLowerCase());
    } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      const from = /(^|\s)--from=(\S+)/.exec(instruction.args)?.[2];
      if (from && isOwn(from)) lines[index] = lines[index].replace(`--from=${from}`, `--from=${scope.imagePrefix}${from}`);
    }
  }
  const label = `LABEL ${Object.entries(terminalLabels(scope)).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}`;
  return `${lines.join('\n').replace(/\s*$/, '')}\n${label}\n`;
}
