// The sandbox's limits, as data in one place. Code in lib/sandbox/ only applies them; an exercise may
// tighten memory and processes (exercise.yaml `limits`) but never loosen anything.
import { config, type Config } from '../config';

/** Limits on one learner container. */
export interface RunLimits {
  /** `--network`: learner code reaches nothing, not even the host. */
  network: 'none';
  /** Memory limit; swap is set to the same value so the container cannot swap past it. */
  memoryBytes: number;
  /** Most processes (and threads) at once: a fork bomb stops here. */
  pids: number;
  /** CPU time per period, as `--cpus` = quota / period. */
  cpuQuota: number;
  cpuPeriod: number;
  /** Capabilities: all dropped; an exercise that provably needs one would add it here. */
  capDrop: string[];
  capAdd: string[];
  /** `no-new-privileges`: setuid binaries cannot raise privileges. */
  securityOpt: string[];
  /** json-file log rotation: the engine keeps at most this much output per container. */
  logMaxSize: string;
  logMaxFiles: string;
  /** Open files, and the largest file a process may write (a disk-filling loop stops here). */
  nofile: number;
  fileSizeBytes: number;
  /** What a container may write to its own filesystem in all, and how many files: past either it is killed. */
  diskBytes: number;
  diskFiles: number;
  /** Hard wall-clock limit on one scenario: past it the container is killed and the run says so. */
  scenarioDeadlineMs: number;
  /** Most bytes of stdout+stderr kept in the timeline per scenario. */
  outputBytes: number;
}

/** Limits on building a learner's image. */
export interface BuildLimits {
  /** Processes of one build (through a parent cgroup: the build API has no pids limit). */
  pids: number;
  memoryBytes: number;
  cpuQuota: number;
  cpuPeriod: number;
  deadlineMs: number;
  /** What the build's steps may write in all, and how many files (measured like a container's layer). */
  diskBytes: number;
  diskFiles: number;
  /** The whole build cache (the steps' images no one owns), trimmed after builds to stay within it. */
  cacheBytes: number;
}

/** Limits on the files a learner sends. */
export interface ContextLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

const MiB = 1024 * 1024;

/** The limits every learner container gets. */
export const RUN_LIMITS: Readonly<RunLimits> = Object.freeze({
  network: 'none',
  memoryBytes: 256 * MiB,
  pids: 64,
  cpuQuota: 50_000,
  cpuPeriod: 100_000,
  capDrop: ['ALL'],
  capAdd: [],
  securityOpt: ['no-new-privileges'],
  logMaxSize: '1m',
  logMaxFiles: '1',
  nofile: 1024,
  fileSizeBytes: 64 * MiB,
  diskBytes: 256 * MiB,
  diskFiles: 20_000,
  scenarioDeadlineMs: 45_000,
  outputBytes: 256 * 1024,
});

/** The limits every learner build gets. */
export const BUILD_LIMITS: Readonly<BuildLimits> = Object.freeze({
  pids: 128,
  memoryBytes: 512 * MiB,
  cpuQuota: 100_000,
  cpuPeriod: 100_000,
  deadlineMs: 120_000,
  diskBytes: 256 * MiB,
  diskFiles: 20_000,
  /** LAB_BUILD_CACHE_MB, read when a build ends (the settings are parsed once, at start-up). */
  get cacheBytes() {
    return config().LAB_BUILD_CACHE_MB * MiB;
  },
});

/** The build steps' open files and largest file, as for containers (the build API takes ulimits). */
export const BUILD_ULIMITS = Object.freeze([
  { Name: 'nofile', Soft: RUN_LIMITS.nofile, Hard: RUN_LIMITS.nofile },
  { Name: 'fsize', Soft: RUN_LIMITS.fileSizeBytes, Hard: RUN_LIMITS.fileSizeBytes },
]);

/** The limits on a learner's files. */
export const CONTEXT_LIMITS: Readonly<ContextLimits> = Object.freeze({
  maxFiles: 16,
  maxFileBytes: 64 * 1024,
  maxTotalBytes: 256 * 1024,
});

/** What an exercise may tighten. */
export interface LimitOverrides {
  memoryMb?: number;
  pids?: number;
}

/** The run limits with an exercise's overrides applied; an override can only lower a limit. */
export function runLimitsFor(overrides: LimitOverrides = {}): RunLimits {
  return {
    ...RUN_LIMITS,
    memoryBytes: Math.min(RUN_LIMITS.memoryBytes, (overrides.memoryMb ?? Infinity) * MiB),
    pids: Math.min(RUN_LIMITS.pids, overrides.pids ?? Infinity),
  };
}

/** What one learner may own at once through the terminal's docker CLI. */
export interface TerminalQuotas {
  /** Containers, running or not (the workstation itself not counted). */
  containers: number;
  /** Images the learner built or tagged. */
  images: number;
  /** Bytes of the learner's images beyond the lab image each one is built FROM. */
  imageBytes: number;
  /** Builds at the same time. */
  concurrentBuilds: number;
  /** Largest build context the CLI may send. */
  buildContextBytes: number;
}

/** The terminal quotas; each can be lowered or raised by the operator with an environment variable. */
export function terminalQuotas(settings: Config = config()): TerminalQuotas {
  return {
    containers: settings.LAB_TERMINAL_MAX_CONTAINERS,
    images: settings.LAB_TERMINAL_MAX_IMAGES,
    imageBytes: settings.LAB_TERMINAL_MAX_IMAGE_MB * MiB,
    concurrentBuilds: settings.LAB_TERMINAL_MAX_BUILDS,
    buildContextBytes: settings.LAB_TERMINAL_MAX_CONTEXT_MB * MiB,
  };
}

/** Limits on the sum of what one learner's terminal containers use at once (a parent cgroup). */
export interface LearnerLimits {
  memoryBytes: number;
  pids: number;
  /** CPUs, as `--cpus`: quota = cpus × period. */
  cpus: number;
  cpuPeriod: number;
}

/**
 * The learner limits: two containers at their full memory limit, four at their full process limit,
 * two at their full CPU share. Operators may change each with an environment variable.
 */
export function learnerLimits(settings: Config = config()): LearnerLimits {
  return {
    memoryBytes: settings.LAB_LEARNER_MEMORY_MB * MiB,
    pids: settings.LAB_LEARNER_PIDS,
    cpus: settings.LAB_LEARNER_CPUS,
    cpuPeriod: 100_000,
  };
}

/** Bounds on what one learner's docker CLI may hold open on their Docker API proxy. */
export interface ProxyLimits {
  /** Connections to the learner's socket at once; past it a new one is answered 429 and closed. */
  connections: number;
  /** Requests being answered at once, streams included (pipelined ones too); past it 429. */
  requests: number;
  /** Streams at once (logs -f, events, wait, stats, attach, exec, build); past it 429. */
  streams: number;
  /** The longest a stream stays open; the CLI sees it end. */
  streamLifetimeMs: number;
  /** A request's headers must arrive within this, and the whole request (a build context) within the next. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export const PROXY_LIMITS: Readonly<ProxyLimits> = Object.freeze({
  connections: 32,
  requests: 32,
  streams: 16,
  streamLifetimeMs: 60 * 60_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
});
