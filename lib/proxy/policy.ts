// The policy of the Docker API proxy as pure functions: which API calls a learner's docker CLI may
// make, and what a container or a build may ask for. The sandbox limits are applied whatever the
// request says; options that would reach the host are refused with a message the CLI prints.
import { RUN_LIMITS, type RunLimits } from '../sandbox/limits';
import { sandboxHostConfig } from '../sandbox/sandbox-host-config';

/** A refusal: the HTTP status and the message the docker CLI prints after "Error response from daemon:". */
export interface Refusal {
  status: number;
  message: string;
}

/** The docker commands the terminal offers, for messages. */
export const ALLOWED_COMMANDS =
  'run, create, start, stop, kill, restart, rm, ps, inspect, logs, top, exec, wait, build, images, rmi, tag, events, diff, port';

/** An API call, classified. `ref` is the container, image or exec named in the path. */
export type Route =
  | { kind: 'ping' | 'version' | 'info' | 'container-list' | 'container-create' | 'image-list' | 'build' | 'events' | 'pull' }
  | { kind: 'container'; ref: string; action: string; method: string }
  | { kind: 'exec'; ref: string; action: string }
  | { kind: 'image'; ref: string; action: string; method: string }
  | { kind: 'refused'; message: string }
  | { kind: 'not-found'; message: string };

/** Container actions by method and path suffix ('' is the container itself: DELETE = docker rm). */
const CONTAINER_ACTIONS: Record<string, string[]> = {
  GET: ['json', 'logs', 'top', 'changes', 'stats'],
  POST: ['start', 'stop', 'kill', 'restart', 'wait', 'resize', 'attach', 'exec'],
  DELETE: [''],
  HEAD: [],
};

/** What the lab refuses, by path, with the command a learner would have typed. */
const REFUSED_BY_PATH: [RegExp, string][] = [
  [/^\/(volumes)/, 'volumes are not available in the lab: containers keep their files in their own filesystem'],
  [/^\/(networks)/, 'networks are not available in the lab: every container runs with network none'],
  [/^\/(swarm|nodes|services|tasks|secrets|configs|plugins)/, 'swarm and plugins are not available in the lab'],
  [/^\/system/, '`docker system` is not available in the lab'],
  [/^\/containers\/prune/, '`docker container prune` is not available in the lab: remove containers with docker rm'],
  [/^\/images\/prune/, '`docker image prune` is not available in the lab: remove images with docker rmi'],
  [/^\/(commit|images\/load|images\/get|images\/search|auth|session|grpc|distribution)/, 'this part of the Docker API is not available in the lab'],
];

/** Splits `/v1.41/containers/x/json` into the API version prefix and the path after it. */
export function splitVersion(pathname: string): { prefix: string; path: string } {
  const match = /^(\/v\d+\.\d+)(\/.*)$/.exec(pathname);
  return match ? { prefix: match[1], path: match[2] } : { prefix: '', path: pathname };
}

/** Classifies a request; paths are without the version prefix. */
export function routeOf(method: string, path: string): Route {
  const m = method.toUpperCase();
  if (path === '/_ping') return { kind: 'ping' };
  if (path === '/version' && m === 'GET') return { kind: 'version' };
  if (path === '/info' && m === 'GET') return { kind: 'info' };
  if (path === '/containers/json' && m === 'GET') return { kind: 'container-list' };
  if (path === '/containers/create' && m === 'POST') return { kind: 'container-create' };
  if (path === '/images/json' && m === 'GET') return { kind: 'image-list' };
  if (path === '/build' && m === 'POST') return { kind: 'build' };
  if (path === '/events' && m === 'GET') return { kind: 'events' };
  if (path === '/images/create' && m === 'POST') return { kind: 'pull' };
  // `docker inspect NAME` looks NAME up as a container, an image, then other kinds of object: those
  // kinds do not exist in the lab, so the answer is "not found" and the CLI says "No such object".
  const other = /^\/(networks|volumes|plugins|nodes|services|tasks|secrets|configs)\/([^/]+)(\/json)?$/.exec(path);
  if (other && m === 'GET') return { kind: 'not-found', message: `No such ${other[1].replace(/s$/, '')}: ${decodeURIComponent(other[2])}` };
  for (const [pattern, message] of REFUSED_BY_PATH) if (pattern.test(path)) return { kind: 'refused', message };
  const exec = /^\/exec\/([^/]+)\/(start|resize|json)$/.exec(path);
  if (exec) return { kind: 'exec', ref: decodeURIComponent(exec[1]), action: exec[2] };
  const container = /^\/containers\/([^/]+)(?:\/([a-z]+))?$/.exec(path);
  if (container) {
    const action = container[2] ?? '';
    if (CONTAINER_ACTIONS[m]?.includes(action)) return { kind: 'container', ref: decodeURIComponent(container[1]), action, method: m };
    return { kind: 'refused', message: `\`${m} /containers/…/${action}\` is not available in the lab: the terminal offers docker ${ALLOWED_COMMANDS}` };
  }
  // Image names contain slashes and are not escaped by the CLI: the action is the last segment.
  const image = /^\/images\/(.+?)(?:\/(json|history|tag))?$/.exec(path);
  if (image) {
    const action = image[2] ?? '';
    const allowed = (m === 'GET' && (action === 'json' || action === 'history')) || (m === 'POST' && action === 'tag') || (m === 'DELETE' && action === '');
    if (allowed) return { kind: 'image', ref: decodeURIComponent(image[1]), action, method: m };
  }
  return { kind: 'refused', message: `\`${m} ${path}\` is not available in the lab: the terminal offers docker ${ALLOWED_COMMANDS}` };
}

/** The part of a container-create body the policy reads and writes. */
export interface CreateBody {
  Image?: string;
  Labels?: Record<string, string> | null;
  Volumes?: Record<string, unknown> | null;
  HostConfig?: Record<string, unknown> | null;
  NetworkingConfig?: unknown;
  [key: string]: unknown;
}

function nonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/** Host-reaching options and the message for each. */
const REFUSED_OPTIONS: [string, string, (value: unknown) => boolean][] = [
  ['Privileged', '--privileged is not allowed in the lab: a privileged container is root on the host', (v) => v === true],
  ['PidMode', '--pid is not allowed in the lab: a container sees only its own processes', nonEmpty],
  ['IpcMode', '--ipc is not allowed in the lab', (v) => nonEmpty(v) && v !== 'private' && v !== 'shareable'],
  ['UTSMode', '--uts is not allowed in the lab', nonEmpty],
  ['UsernsMode', '--userns is not allowed in the lab', nonEmpty],
  ['CgroupnsMode', '--cgroupns is not allowed in the lab', (v) => nonEmpty(v) && v !== 'private'],
  ['Binds', 'bind mounts (-v /host/path:...) are not allowed in the lab: copy files into the image with COPY', nonEmpty],
  ['Mounts', '--mount is not allowed in the lab: copy files into the image with COPY', nonEmpty],
  ['VolumesFrom', '--volumes-from is not allowed in the lab', nonEmpty],
  ['VolumeDriver', '--volume-driver is not allowed in the lab', nonEmpty],
  ['Tmpfs', '--tmpfs is not allowed in the lab', nonEmpty],
  ['Devices', '--device is not allowed in the lab', nonEmpty],
  ['DeviceRequests', '--gpus and device requests are not allowed in the lab', nonEmpty],
  ['DeviceCgroupRules', '--device-cgroup-rule is not allowed in the lab', nonEmpty],
  ['CapAdd', '--cap-add is not allowed in the lab: containers run with every capability dropped', nonEmpty],
  ['SecurityOpt', '--security-opt is not allowed in the lab: the lab sets no-new-privileges itself', nonEmpty],
  ['Runtime', '--runtime is not allowed in the lab', (v) => nonEmpty(v) && v !== 'runc'],
  ['Sysctls', '--sysctl is not allowed in the lab', nonEmpty],
  ['CgroupParent', '--cgroup-parent is not allowed in the lab', nonEmpty],
  ['OomKillDisable', '--oom-kill-disable is not allowed in the lab: the memory limit must be able to kill', (v) => v === true],
  ['Links', '--link is not allowed in the lab: containers have no network', nonEmpty],
  ['PublishAllPorts', '-P is not allowed in the lab: containers have no network', (v) => v === true],
  ['PortBindings', '-p is not allowed in the lab: containers run with network none, nothing can be published', nonEmpty],
];

const ALLOWED_NETWORK_MODES = new Set(['', 'default', 'none', 'bridge']);

/**
 * HostConfig fields a learner may set (or that the lab sets itself below). Anything else is refused
 * when given a value, and dropped when empty: a field added to the API later cannot slip through.
 */
const ALLOWED_HOST_FIELDS = new Set([
  'RestartPolicy', 'AutoRemove', 'Init', 'ReadonlyRootfs', 'GroupAdd', 'ConsoleSize', 'ContainerIDFile',
  'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts', 'ShmSize', 'OomScoreAdj', 'MemorySwappiness',
  'CpusetCpus', 'CpusetMems', 'CpuCount', 'CpuPercent', 'CpuRealtimePeriod', 'CpuRealtimeRuntime',
  'Isolation', 'LogConfig', 'Ulimits', 'KernelMemoryTCP', 'IOMaximumIOps', 'IOMaximumBandwidth',
  // Set or checked by the policy itself:
  'NetworkMode', 'Memory', 'MemorySwap', 'MemoryReservation', 'KernelMemory', 'PidsLimit', 'NanoCpus',
  'CpuQuota', 'CpuPeriod', 'CpuShares', 'CapDrop', 'CapAdd', 'SecurityOpt', 'Privileged', 'StorageOpt',
  'BlkioWeight', 'PortBindings', 'PublishAllPorts', 'Binds', 'Mounts', 'VolumesFrom', 'VolumeDriver',
  'Tmpfs', 'Devices', 'DeviceRequests', 'DeviceCgroupRules', 'PidMode', 'IpcMode', 'UTSMode', 'UsernsMode',
  'CgroupnsMode', 'Runtime', 'Sysctls', 'CgroupParent', 'OomKillDisable', 'Links',
]);

/** Largest /dev/shm (it is memory, and counts against the container's memory limit anyway). */
const MAX_SHM_BYTES = 64 * 1024 * 1024;

/**
 * The create body with the sandbox limits applied, or why it is refused. Lower limits a learner asks
 * for (`-m 32m`, `--pids-limit 10`, `--cpus 0.2`) are kept: they are how the OOM lessons are tried.
 */
export function applyCreatePolicy(body: CreateBody, labels: Record<string, string>, limits: RunLimits = RUN_LIMITS): { body: CreateBody } | { refusal: Refusal } {
  const host = { ...(body.HostConfig ?? {}) } as Record<string, unknown>;
  for (const [key, message, refused] of REFUSED_OPTIONS) {
    if (refused(host[key])) return { refusal: { status: 403, message } };
  }
  // `--security-opt systempaths=unconfined` arrives as empty lists: no path of /proc masked.
  if (Array.isArray(host.MaskedPaths) || Array.isArray(host.ReadonlyPaths)) {
    return { refusal: { status: 403, message: '--security-opt systempaths=unconfined is not allowed in the lab: /proc stays masked' } };
  }
  for (const [key, value] of Object.entries(host)) {
    if (ALLOWED_HOST_FIELDS.has(key)) continue;
    if (nonEmpty(value)) return { refusal: { status: 403, message: `HostConfig.${key} is not allowed in the lab` } };
    delete host[key];
  }
  const network = String(host.NetworkMode ?? '');
  if (!ALLOWED_NETWORK_MODES.has(network)) {
    return { refusal: { status: 403, message: `--network ${network} is not allowed in the lab: every container runs with network none` } };
  }
  if (nonEmpty(body.Volumes)) {
    return { refusal: { status: 403, message: 'volumes (-v /path) are not allowed in the lab: containers keep their files in their own filesystem' } };
  }
  const lower = (asked: unknown, max: number) => (typeof asked === 'number' && asked > 0 ? Math.min(asked, max) : max);
  const memory = lower(host.Memory, limits.memoryBytes);
  const maxNanoCpus = Math.round((limits.cpuQuota / limits.cpuPeriod) * 1e9);
  const askedNanoCpus = typeof host.NanoCpus === 'number' && host.NanoCpus > 0
    ? host.NanoCpus
    : typeof host.CpuQuota === 'number' && host.CpuQuota > 0
      ? Math.round((host.CpuQuota / (Number(host.CpuPeriod) || 100_000)) * 1e9)
      : maxNanoCpus;
  const own = Object.fromEntries(Object.entries(body.Labels ?? {}).filter(([key]) => !key.startsWith('lab.')));
  return {
    body: {
      ...body,
      Labels: { ...own, ...labels },
      NetworkingConfig: { EndpointsConfig: {} },
      HostConfig: {
        ...host,
        // The sandbox as the core engine applies it, then the limits a learner may lower.
        ...sandboxHostConfig(limits),
        Memory: memory,
        MemorySwap: memory,
        MemoryReservation: 0,
        KernelMemory: 0,
        PidsLimit: lower(host.PidsLimit, limits.pids),
        NanoCpus: Math.min(askedNanoCpus, maxNanoCpus),
        CpuQuota: 0,
        CpuPeriod: 0,
        CpuShares: 0,
        CapAdd: [],
        StorageOpt: null,
        BlkioWeight: 0,
        ShmSize: lower(host.ShmSize, MAX_SHM_BYTES),
        // A negative score would make the host kill other processes before this container's.
        OomScoreAdj: Math.max(0, Number(host.OomScoreAdj) || 0),
      },
    },
  };
}

/** Refusal of an exec: the same rule as for containers, no privileges. */
export function applyExecPolicy(body: Record<string, unknown>): Refusal | null {
  if (body.Privileged === true) return { status: 403, message: 'docker exec --privileged is not allowed in the lab' };
  return null;
}

/** Build query parameters a learner may pass through; the lab sets the rest itself. */
const BUILD_PASSTHROUGH = new Set(['t', 'dockerfile', 'q', 'nocache', 'rm', 'forcerm', 'buildargs', 'target', 'platform', 'labels']);

/** The build's query with the lab's settings, or why the build is refused. */
export function applyBuildPolicy(query: URLSearchParams): { query: URLSearchParams } | { refusal: Refusal } {
  if (query.get('version') === '2') {
    return { refusal: { status: 403, message: 'BuildKit is not available in the lab: build with the classic builder (DOCKER_BUILDKIT=0)' } };
  }
  if (query.get('remote')) return { refusal: { status: 403, message: 'building from a URL is not available in the lab: the lab has no network' } };
  const networkMode = query.get('networkmode');
  if (networkMode && networkMode !== 'default' && networkMode !== 'none') {
    return { refusal: { status: 403, message: `docker build --network ${networkMode} is not allowed in the lab: builds run with network none` } };
  }
  if (query.get('extrahosts')) return { refusal: { status: 403, message: 'docker build --add-host is not allowed in the lab' } };
  const out = new URLSearchParams();
  for (const [key, value] of query) if (BUILD_PASSTHROUGH.has(key)) out.append(key, value);
  const labels = out.get('labels');
  if (labels) {
    try {
      const parsed = JSON.parse(labels) as Record<string, string>;
      out.set('labels', JSON.stringify(Object.fromEntries(Object.entries(parsed).filter(([key]) => !key.startsWith('lab.')))));
    } catch {
      return { refusal: { status: 400, message: 'the build labels are not valid JSON' } };
    }
  }
  out.set('networkmode', 'none');
  out.set('rm', '1');
  out.set('forcerm', '1');
  return { query: out };
}
