// The narrow interface between the lab and a container engine. Everything outside lib/sandbox/ depends
// on these plain types; lib/sandbox/docker-engine.ts implements them with dockerode.
import type { RunSettings } from '../lessons/exercise-schema';
import type { FileChange, FileHead, ProcessInfo } from '../observe/timeline-event';
import type { DiskLimits, DiskUsage } from './disk-usage';
import type { RunLabels } from './labels';
import type { LearnerFile } from './learner-files';
import type { RunLimits } from './limits';

/** What a build produced. A failed build is a normal result (the learner's), not an exception. */
export interface BuildResult {
  ok: boolean;
  imageId?: string;
  /** The engine's error for a failed build. */
  error?: string;
  /** The Dockerfile step (1-based instruction index) that failed, when the engine said. */
  failedStep?: number;
  /** True when the build ran past its deadline and was cancelled. */
  timedOut: boolean;
  /** True when the lab stopped the build (past its disk limit, or its caller went away); `error` says why. */
  stopped?: boolean;
}

/** One file of a checked build context (the terminal's `docker build`), with its permission bits. */
export interface ContextFile {
  name: string;
  content: Buffer;
  mode: number;
}

/** A message of the engine's build stream, as the engine sent it. */
export interface BuildMessage {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
  status?: string;
}

/** Build options a learner may choose (from the terminal); everything else the lab sets. */
export interface BuildOptions {
  buildArgs?: Record<string, string | null>;
  target?: string;
  noCache?: boolean;
  quiet?: boolean;
  labels?: Record<string, string>;
}

/** A request to build a learner's image. */
export interface BuildRequest {
  labels: RunLabels;
  /** Names the build's cgroup; the run id by default (a learner's terminal builds share one run id). */
  buildId?: string;
  /** The image's name; none for a Run's image, which is used by its id. */
  tag?: string;
  /**
   * The labels of the lab's LABEL step, when they are not the run's: a Run's image is the same for the
   * same files, so its step names no run, the step is cached like the rest, and no image is made per run.
   */
  stepLabels?: Record<string, string>;
  /** The built image is kept from the build cache's trim until `releaseCacheImages([imageId])`. */
  hold?: boolean;
  /** More names for the same image (`docker build -t a -t b`). */
  moreTags?: string[];
  /** The exercise's files (a Run); ignored when `context` is given. */
  files: LearnerFile[];
  /** A checked build context (the terminal): its files, folders and the Dockerfile's name in it. */
  context?: { files: ContextFile[]; directories: string[]; dockerfile: string };
  options?: BuildOptions;
  onOutput: (line: string) => void;
  /** Each message of the engine's build stream, as it came (the proxy relays them to the docker CLI). */
  onMessage?: (message: BuildMessage) => void;
  /** Aborted when the build is no longer wanted (the CLI went away): it is stopped. */
  signal?: AbortSignal;
}

/** A request to create a learner container. */
export interface ContainerRequest {
  labels: RunLabels;
  image: string;
  name?: string;
  /** Overrides the image's CMD. */
  command?: string[];
  settings: RunSettings;
  limits: RunLimits;
}

/** The parts of `docker inspect` the lab reads. */
export interface ContainerState {
  running: boolean;
  restarting: boolean;
  /** Host PID of PID 1 while running, else 0. */
  pid: number;
  exitCode: number;
  oomKilled: boolean;
  restartCount: number;
  startedAt: number;
  finishedAt: number;
  /** What Docker started as PID 1 (Path and Args): the program, then its arguments. */
  command: string[];
  /** The container's name on the engine, with its leading slash. */
  name: string;
  labels: Record<string, string>;
  /** The image as the container was created from it. */
  image: string;
  /** Why Docker could not start the container (State.Error), when it could not. */
  error?: string;
}

/** A lifecycle event of a container, from the engine's event stream. */
export interface EngineEvent {
  containerId: string;
  action: 'create' | 'start' | 'die' | 'oom' | 'kill' | 'stop' | 'restart' | 'destroy';
  /** Epoch ms, as the engine recorded it. */
  time: number;
  exitCode?: number;
  /** For `kill`: the signal Docker delivered to PID 1, by number (docker stop sends two: its stop signal, then 9). */
  signal?: number;
}

/** A line the container wrote. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** Epoch ms, as the engine recorded it. */
  time: number;
}

/** Something to stop. */
export interface Stoppable {
  stop(): void;
  /** Resolves when the stream has ended by itself (for streams that do). */
  finished?: Promise<void>;
}

/** The container operations the lab needs. */
export interface Engine {
  /** True when the engine runs on this host, so /proc and cgroups of its containers can be read here. */
  readonly local: boolean;
  /** Tags of the lab images learners may build FROM (lab/node, ...); `fresh` for a listing a few seconds old at most. */
  labImages(fresh?: boolean): Promise<string[]>;
  build(request: BuildRequest, deadlineMs: number): Promise<BuildResult>;
  create(request: ContainerRequest): Promise<string>;
  start(containerId: string): Promise<void>;
  inspect(containerId: string): Promise<ContainerState>;
  /** `docker kill -s`. */
  kill(containerId: string, signal: string): Promise<void>;
  /**
   * Sends `signal` to one process of a container by its host PID (as a local engine's /proc shows it),
   * from this host. Rejects when that cannot be done from here (not permitted, the process is gone, or
   * the engine runs elsewhere): the caller then signals it from inside the container.
   */
  signalProcess(hostPid: number, signal: string): Promise<void>;
  /** `docker stop -t`. */
  stop(containerId: string, timeoutSec: number): Promise<void>;
  exec(containerId: string, command: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }>;
  /** `docker top` with PID, PPID, state and command (host PIDs). */
  top(containerId: string): Promise<ProcessInfo[]>;
  diff(containerId: string): Promise<FileChange[]>;
  /** The first `maxBytes` of each path that is a regular file (folders and missing paths left out); works on a stopped container. */
  readFileHeads(containerId: string, paths: string[], maxBytes: number): Promise<FileHead[]>;
  /**
   * What the container wrote to its writable layer, measured up to just past the limits; null when the
   * engine cannot tell (a storage driver other than overlay2 on a remote engine).
   */
  diskUsage(containerId: string, limits: DiskLimits): Promise<DiskUsage | null>;
  /**
   * Follows lifecycle events of one run's containers; resolves once the stream is open. `onEnd` is
   * called if the engine ends the stream before it is stopped (the engine restarted or stopped).
   */
  events(runId: string, onEvent: (event: EngineEvent) => void, onEnd?: (detail: string) => void): Promise<Stoppable>;
  /** Follows a container's output from `sinceMs` on, until it stops or this is stopped. */
  logs(containerId: string, sinceMs: number, onLine: (line: OutputLine) => void): Promise<Stoppable>;
  removeContainer(containerId: string): Promise<void>;
  removeImage(tag: string): Promise<void>;
  /** An image built with `hold` is no longer needed by its run: the build cache's trim may remove it. */
  releaseImage(imageId: string): void;
  /** Keeps an image that is there from the build cache's trim, as `hold` does; false (and not held) when it is gone. */
  holdImage(imageId: string): Promise<boolean>;
  /** The id of the image named `name`, or null when there is none. */
  imageId(name: string): Promise<string | null>;
}
