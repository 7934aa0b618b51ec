// The events of a run's timeline: everything the lab observed, in order, with millisecond offsets from
// the start of the run. Plain data: the web forwards them as JSON, checks read them.

/** One process as seen inside the container. */
export interface ProcessInfo {
  /** PID inside the container's PID namespace (1 is the main process). */
  pid: number;
  /** Parent PID inside the container; 0 when the parent is outside (PID 1, or a `docker exec`). */
  ppid: number;
  /** Kernel state letter: R running, S sleeping, D disk wait, Z zombie, T stopped, I idle. */
  state: string;
  /**
   * The process has begun to exit (the kernel's PF_EXITING) but is not yet a zombie: PID 1 stays listed
   * so while the kernel kills the rest of its container. Known when the sampler reads /proc.
   */
  exiting?: boolean;
  /** Full command line (the first 4 KiB); for a zombie, its name in brackets. */
  command: string;
  /** The arguments as the process was started (bounded), when the sampler reads /proc; a zombie's is its name. */
  argv?: string[];
  /** The executable really running (/proc/<pid>/exe), when the sampler can read it: argv[0] can say anything. */
  exe?: string;
  /** PID on the engine's host, when the sampler reads /proc there. */
  hostPid?: number;
}

/** Why a step ended. */
export type ActionOutcome = 'done' | 'timeout' | 'skipped';

/** Fields shared by every event. */
interface EventBase {
  /** Position in the timeline, from 0, with no gaps. */
  seq: number;
  /** Milliseconds since the run began. */
  t: number;
  /** The scenario the event belongs to; absent for build and run-level events. */
  scenario?: string;
}

/** One thing the lab observed or did, as a tagged union. */
export type TimelineEvent = EventBase &
  (
    | { type: 'run-start'; exerciseId: string; runId: string }
    /** Waiting for a slot: sent again each time the position changes. estimateMs: the expected wait, from recent runs. */
    | { type: 'queued'; position: number; estimateMs?: number }
    | { type: 'rejected'; file: string; line?: number; message: string }
    | { type: 'build-start' }
    | { type: 'build-output'; text: string }
    | {
        type: 'build-end';
        ok: boolean;
        imageId?: string;
        error?: string;
        file?: string;
        line?: number;
        /** The same files were built before: that build's image was used again (see image-reuse.ts). */
        reused?: boolean;
        durationMs: number;
      }
    | { type: 'scenario-start'; description: string; drawn?: Record<string, string> }
    | { type: 'container-create'; containerId: string }
    | { type: 'container-start'; hostPid?: number }
    | {
        type: 'container-die';
        exitCode: number;
        /** The signal that killed PID 1 when the code is 128+n and n is a signal. */
        signal?: string;
        oomKilled: boolean;
        /** Docker will start the container again (its restart policy applies). */
        willRestart: boolean;
      }
    | { type: 'container-restart'; restartCount: number }
    /** Docker delivered a signal to PID 1 (docker stop, docker kill, a restart): its name, e.g. SIGTERM. */
    | { type: 'container-signal'; signal: string }
    /** Docker reports a `docker stop` of the container finished (after its exit). */
    | { type: 'container-stop' }
    /** The kernel's signals are traced for this scenario: `signal` events say which process got which. */
    | { type: 'signal-trace' }
    /** A signal to a process of the container (PIDs the container's), from one of its processes, the kernel, or outside. */
    | {
        type: 'signal';
        signal: string;
        to: number;
        toCommand: string;
        from?: number;
        fromCommand?: string;
        by: 'process' | 'kernel' | 'outside';
        /** The target ignores it (PID 1 without a handler). */
        ignored?: true;
      }
    | { type: 'action-start'; action: string; kind: string; detail: string }
    | { type: 'action-end'; action: string; outcome: ActionOutcome; detail: string }
    | { type: 'exec-result'; action: string; exitCode: number; output: string }
    | { type: 'snapshot'; processes: ProcessInfo[] }
    | { type: 'process-spawn'; process: ProcessInfo }
    | { type: 'process-exit'; process: ProcessInfo }
    | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
    | { type: 'output-truncated'; limitBytes: number }
    /** The container's memory use, read from its memory cgroup: now, the highest so far (this start), and its limit. */
    | { type: 'memory'; bytes: number; peakBytes: number; limitBytes: number }
    | { type: 'disk-limit'; bytes: number; files?: number; limitBytes: number; limitFiles: number }
    | { type: 'fs-changes'; changes: FileChange[]; moment?: 'before-stop' }
    | { type: 'file-heads'; files: FileHead[]; moment?: 'before-stop' }
    | { type: 'deadline'; what: 'build' | 'scenario'; limitMs: number }
    | { type: 'scenario-end' }
    /** The lab could not observe the run (or a scenario of it); `forLearner`: its message is written for them. */
    | { type: 'platform-error'; message: string; forLearner?: true }
    | { type: 'run-end'; status: 'pass' | 'fail' | 'error' }
  );

/** One path in the container's filesystem diff. */
export interface FileChange {
  kind: 'added' | 'changed' | 'deleted';
  path: string;
}

/** The start of a file the container wrote: enough to tell a PID file or a log file by what it holds. */
export interface FileHead {
  path: string;
  size: number;
  /** The first bytes, as text. */
  head: string;
}

/** The name of an event type. */
export type TimelineEventType = TimelineEvent['type'];

/** An event of one type, by name. */
export type EventOf<K extends TimelineEventType> = Extract<TimelineEvent, { type: K }>;

/** A TimelineEvent before the timeline stamps it with seq and t. */
export type NewEvent = TimelineEvent extends infer E ? (E extends TimelineEvent ? Omit<E, 'seq' | 't'> : never) : never;
