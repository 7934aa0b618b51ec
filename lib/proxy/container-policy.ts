// What a learner's container or update becomes on the engine (an exec: exec-policy.ts): built field by
// field from the decoded model (request-models.ts), never by copying the request. Options that would
// reach the host are refused with the message the CLI prints (refused-host-fields.ts); the sandbox
// limits are set whatever was asked, and a lower limit a learner asks for is kept (`-m 32m` is how the
// OOM lesson is tried).
import type Docker from 'dockerode';
import { HEALTHCHECK_MIN_INTERVAL_MS } from '../sandbox/dockerfile-rules';
import { RUN_LIMITS, type RunLimits } from '../sandbox/limits';
import { sandboxHostConfig } from '../sandbox/sandbox-host-config';
import { given, refuse } from './policy-refusal';
import type { Refusal } from './refusal';
import { REFUSED_HOST_FIELDS } from './refused-host-fields';
import type { CreateModel, HostConfigModel, UpdateModel } from './request-models';

const ALLOWED_NETWORK_MODES = new Set(['', 'default', 'none', 'bridge']);
const RESTART_POLICIES = new Set(['', 'no', 'always', 'unless-stopped', 'on-failure']);
/** Largest /dev/shm (it is memory, and counts against the container's memory limit anyway). */
const MAX_SHM_BYTES = 64 * 1024 * 1024;
const CPUSET = /^[0-9,-]{0,64}$/;
const SIGNAL = /^(SIG)?[A-Z0-9+-]{1,16}$|^\d{1,2}$/i;
const LAB_LABEL = /^lab\./i;

/** The asked limit when it is lower than the sandbox's, else the sandbox's. */
const lower = (asked: number | null | undefined, max: number) =>
  typeof asked === 'number' && asked > 0 ? Math.min(asked, max) : max;

function nanoCpus(model: {
  NanoCpus?: number | null;
  CpuQuota?: number | null;
  CpuPeriod?: number | null;
}): number | null {
  if (model.NanoCpus && model.NanoCpus > 0) return model.NanoCpus;
  if (model.CpuQuota && model.CpuQuota > 0)
    return Math.round((model.CpuQuota / (model.CpuPeriod && model.CpuPeriod > 0 ? model.CpuPeriod : 100_000)) * 1e9);
  return null;
}

function restartPolicy(
  policy: HostConfigModel['RestartPolicy'],
): { value: { Name: string; MaximumRetryCount: number } } | { refusal: Refusal } {
  const name = policy?.Name ?? '';
  if (!RESTART_POLICIES.has(name))
    return refuse(`--restart=${name} is not a restart policy (no, always, unless-stopped, on-failure)`, 400);
  const retries = policy?.MaximumRetryCount ?? 0;
  if (retries < 0 || retries > 100) return refuse('--restart=on-failure:N takes N from 0 to 100', 400);
  return { value: { Name: name, MaximumRetryCount: name === 'on-failure' ? retries : 0 } };
}

/** A healthcheck with its intervals raised to the lab's floor: each check is an exec the engine runs. */
export function healthcheckWithFloor(check: CreateModel['Healthcheck']): Docker.HealthConfig | undefined {
  if (!check) return undefined;
  const floorNs = HEALTHCHECK_MIN_INTERVAL_MS * 1e6;
  // 0 means "inherit" (from the image, or the engine's 30 s default): kept as 0.
  const atLeast = (value: number | null | undefined) => (value && value > 0 ? Math.max(value, floorNs) : 0);
  return {
    Test: check.Test ?? undefined,
    Interval: atLeast(check.Interval),
    Timeout: Math.max(0, check.Timeout ?? 0),
    StartPeriod: Math.max(0, check.StartPeriod ?? 0),
    Retries: Math.max(0, Math.min(check.Retries ?? 0, 100)),
    ...(check.StartInterval ? { StartInterval: atLeast(check.StartInterval) } : {}),
  } as Docker.HealthConfig;
}

/** Where the created container goes and what it carries, decided by the proxy. */
export interface CreateContext {
  /** The image as the engine should resolve it (the learner's namespace, or a lab image). */
  image: string;
  labels: Record<string, string>;
  /** The learner's parent cgroup, where the lab has one. */
  cgroupParent: string | null;
  limits?: RunLimits;
}

/** The engine's create body for a learner's container, or why it is refused. */
export function containerCreateBody(
  model: CreateModel,
  context: CreateContext,
): { body: Record<string, unknown> } | { refusal: Refusal } {
  const host: HostConfigModel = model.HostConfig ?? {};
  const limits = context.limits ?? RUN_LIMITS;
  for (const [field, message, refused = given] of REFUSED_HOST_FIELDS) {
    if (refused(host[field])) return refuse(message);
  }
  const network = host.NetworkMode ?? '';
  if (!ALLOWED_NETWORK_MODES.has(network))
    return refuse(`--network ${network} is not allowed in the lab: every container runs with network none`);
  const log = host.LogConfig;
  if ((log?.Type && log.Type !== 'json-file') || given(log?.Config))
    return refuse('--log-driver and --log-opt are not allowed in the lab: logs stay with the engine');
  if (given(model.Volumes))
    return refuse('volumes (-v /path) are not allowed in the lab: containers keep their files in their own filesystem');
  if (given(model.OnBuild) || given(model.Shell) || model.ArgsEscaped)
    return refuse('OnBuild, Shell and ArgsEscaped belong to images, not to a container', 400);
  if (given(model.MacAddress)) return refuse('--mac-address is not allowed in the lab: containers have no network');
  if (Object.keys(model.Labels ?? {}).some((key) => LAB_LABEL.test(key)))
    return refuse('labels starting with "lab." are the lab\'s own');
  if (!CPUSET.test(host.CpusetCpus ?? '') || !CPUSET.test(host.CpusetMems ?? ''))
    return refuse('--cpuset-cpus takes CPU numbers such as 0 or 0-1', 400);
  if (model.StopSignal && !SIGNAL.test(model.StopSignal))
    return refuse(`--stop-signal ${model.StopSignal} is not a signal`, 400);
  const restart = restartPolicy(host.RestartPolicy);
  if ('refusal' in restart) return restart;
  const memory = lower(host.Memory, limits.memoryBytes);
  const maxNanoCpus = Math.round((limits.cpuQuota / limits.cpuPeriod) * 1e9);
  const sandbox = sandboxHostConfig(limits);
  const hostConfig: Record<string, unknown> = {
    // The sandbox as the core engine applies it, then the limits a learner may lower.
    ...sandbox,
    Memory: memory,
    MemorySwap: memory,
    PidsLimit: lower(host.PidsLimit, limits.pids),
    NanoCpus: Math.min(nanoCpus(host) ?? maxNanoCpus, maxNanoCpus),
    CpuQuota: 0,
    CpuPeriod: 0,
    ShmSize: lower(host.ShmSize, MAX_SHM_BYTES),
    // A negative score would make the host kill other processes before this container's.
    OomScoreAdj: Math.min(Math.max(0, host.OomScoreAdj ?? 0), 1000),
    RestartPolicy: restart.value,
    AutoRemove: host.AutoRemove ?? false,
    ReadonlyRootfs: host.ReadonlyRootfs ?? false,
    ConsoleSize: host.ConsoleSize ?? [0, 0],
    ...(typeof host.Init === 'boolean' ? { Init: host.Init } : {}),
    ...(host.MemorySwappiness !== undefined && host.MemorySwappiness !== null && host.MemorySwappiness >= 0
      ? { MemorySwappiness: Math.min(host.MemorySwappiness, 100) }
      : {}),
    ...(host.CpusetCpus ? { CpusetCpus: host.CpusetCpus } : {}),
    ...(host.CpusetMems ? { CpusetMems: host.CpusetMems } : {}),
    ...(host.GroupAdd?.length ? { GroupAdd: host.GroupAdd } : {}),
    ...(host.ExtraHosts?.length ? { ExtraHosts: host.ExtraHosts } : {}),
    ...(context.cgroupParent ? { CgroupParent: context.cgroupParent } : {}),
  };
  const body: Record<string, unknown> = {
    Image: context.image,
    Labels: { ...(model.Labels ?? {}), ...context.labels },
    HostConfig: hostConfig,
    NetworkingConfig: { EndpointsConfig: {} },
    AttachStdin: model.AttachStdin ?? false,
    AttachStdout: model.AttachStdout ?? false,
    AttachStderr: model.AttachStderr ?? false,
    Tty: model.Tty ?? false,
    OpenStdin: model.OpenStdin ?? false,
    StdinOnce: model.StdinOnce ?? false,
    NetworkDisabled: true,
    ...(model.Hostname ? { Hostname: model.Hostname } : {}),
    ...(model.Domainname ? { Domainname: model.Domainname } : {}),
    ...(model.User ? { User: model.User } : {}),
    ...(model.Env ? { Env: model.Env } : {}),
    ...(model.Cmd !== undefined && model.Cmd !== null ? { Cmd: model.Cmd } : {}),
    ...(model.Entrypoint !== undefined && model.Entrypoint !== null ? { Entrypoint: model.Entrypoint } : {}),
    ...(model.WorkingDir ? { WorkingDir: model.WorkingDir } : {}),
    ...(model.ExposedPorts
      ? {
          ExposedPorts: Object.fromEntries(
            Object.keys(model.ExposedPorts)
              .filter((port) => /^\d{1,5}(\/(tcp|udp|sctp))?$/.test(port))
              .map((port) => [port, {}]),
          ),
        }
      : {}),
    ...(model.StopSignal ? { StopSignal: model.StopSignal } : {}),
    ...(typeof model.StopTimeout === 'number' ? { StopTimeout: Math.min(Math.max(model.StopTimeout, 0), 300) } : {}),
  };
  const check = healthcheckWithFloor(model.Healthcheck);
  if (check) body.Healthcheck = check;
  return { body };
}

/**
 * The engine's update body (`docker update`): the restart policy, and limits that stay at or below the
 * sandbox's; every other resource is refused when given.
 */
export function updateBody(
  model: UpdateModel,
  limits: RunLimits = RUN_LIMITS,
): { body: Record<string, unknown> } | { refusal: Refusal } {
  const allowed = new Set([
    'Memory',
    'MemorySwap',
    'MemoryReservation',
    'PidsLimit',
    'NanoCpus',
    'CpuQuota',
    'CpuPeriod',
    'CpuShares',
    'BlkioWeight',
    'CpusetCpus',
    'CpusetMems',
    'RestartPolicy',
  ]);
  for (const [field, message] of REFUSED_HOST_FIELDS) {
    if (!allowed.has(field) && field in model && given((model as Record<string, unknown>)[field]))
      return refuse(message);
  }
  if (!CPUSET.test(model.CpusetCpus ?? '') || !CPUSET.test(model.CpusetMems ?? ''))
    return refuse('--cpuset-cpus takes CPU numbers such as 0 or 0-1', 400);
  const body: Record<string, unknown> = {};
  if (model.RestartPolicy) {
    const restart = restartPolicy(model.RestartPolicy);
    if ('refusal' in restart) return restart;
    body.RestartPolicy = restart.value;
  }
  if (model.Memory && model.Memory > 0) {
    body.Memory = Math.min(model.Memory, limits.memoryBytes);
    body.MemorySwap = body.Memory;
  }
  if (model.PidsLimit && model.PidsLimit > 0) body.PidsLimit = Math.min(model.PidsLimit, limits.pids);
  const cpus = nanoCpus(model);
  if (cpus) body.NanoCpus = Math.min(cpus, Math.round((limits.cpuQuota / limits.cpuPeriod) * 1e9));
  if (model.CpusetCpus) body.CpusetCpus = model.CpusetCpus;
  if (model.CpusetMems) body.CpusetMems = model.CpusetMems;
  return { body };
}
