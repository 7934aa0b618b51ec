// View state for the run panels, derived from a run's timeline. Pure functions over TimelineEvent[]:
// the page re-derives everything from the events it has so far, so a live run and a replayed one look
// the same, and "time travel" is just deriving at an earlier seq.
import { describeDiskUse, describeExit, signalFromExitCode } from './exit-status';
import type { EventOf, ProcessInfo, TimelineEvent } from './timeline-event';

/** How long (ms of run time) a process still counts as just spawned or just exited. */
export const RECENT_MS = 1500;

/** How a container exited, as the panels show it. */
export interface ExitInfo {
  code: number;
  signal?: string;
  oomKilled: boolean;
  willRestart: boolean;
  seq: number;
  t: number;
}

/** One scenario of a run: what it is and where its container stands. */
export interface ScenarioView {
  id: string;
  description: string;
  /** running: the scenario is in progress and its container not (yet) exited; exited: it exited; done: the scenario ended. */
  status: 'running' | 'exited' | 'done';
  restartCount: number;
  lastExit?: ExitInfo;
  /** The seq of the scenario's first event. */
  firstSeq: number;
}

/** The processes of a scenario at one point of the timeline, with what changed just before it. */
export interface ProcessesView {
  processes: ProcessInfo[];
  /** True when the last lifecycle event up to the point was a container-start. */
  running: boolean;
  /** PIDs spawned within RECENT_MS before the point and still in `processes`. */
  spawned: Set<number>;
  /** Processes gone within RECENT_MS before the point, by PID, as last seen (zombies stay in `processes` instead). */
  exited: Map<number, ProcessInfo>;
  /** The seq and run time the view was derived at. */
  seq: number;
  t: number;
}

/** Options for processesAt. */
export interface ProcessesAtOptions {
  /** The current run time, for a live view: "recent" is measured from here when it is later than the point. */
  now?: number;
  /** The window for spawned/exited, in ms; RECENT_MS by default. */
  recentMs?: number;
}

// Events arrive in seq order, but a caller may hand over a merged or filtered list: sort only when needed.
function inOrder(events: TimelineEvent[]): TimelineEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i].seq < events[i - 1].seq) return [...events].sort((a, b) => a.seq - b.seq);
  }
  return events;
}

/** The scenarios of a run in the order they first appear, with their status, restarts and last exit. */
export function scenariosOf(events: TimelineEvent[]): ScenarioView[] {
  const views = new Map<string, ScenarioView>();
  for (const event of inOrder(events)) {
    if (event.scenario === undefined) continue;
    let view = views.get(event.scenario);
    if (!view) {
      view = { id: event.scenario, description: '', status: 'running', restartCount: 0, firstSeq: event.seq };
      views.set(event.scenario, view);
    }
    switch (event.type) {
      case 'scenario-start':
        view.description = event.description;
        break;
      case 'container-start':
        if (view.status !== 'done') view.status = 'running';
        break;
      case 'container-die':
        view.lastExit = {
          code: event.exitCode,
          signal: event.signal,
          oomKilled: event.oomKilled,
          willRestart: event.willRestart,
          seq: event.seq,
          t: event.t,
        };
        if (view.status !== 'done') view.status = 'exited';
        break;
      case 'container-restart':
        view.restartCount = Math.max(view.restartCount, event.restartCount);
        break;
      case 'scenario-end':
        view.status = 'done';
        break;
    }
  }
  return [...views.values()];
}

/**
 * The process list of `scenario` as of event `seq` (the latest when undefined): its last snapshot up to
 * there, or nothing when the container's last lifecycle event was a container-die.
 */
export function processesAt(
  events: TimelineEvent[],
  scenario: string | undefined,
  seq?: number,
  options: ProcessesAtOptions = {},
): ProcessesView {
  const ordered = inOrder(events);
  const point = seq ?? ordered.at(-1)?.seq ?? -1;
  let pointT = 0;
  let snapshot: ProcessInfo[] = [];
  let running = false;
  // Spawns and exits since the last container start: PIDs restart from 1 in a restarted container, so
  // earlier ones would mark the wrong processes.
  let changes: TimelineEvent[] = [];
  for (const event of ordered) {
    if (event.seq > point) break;
    // t is not strictly monotonic (engine-stamped events), so the point's time is the latest seen.
    pointT = Math.max(pointT, event.t);
    if (event.scenario !== scenario) continue;
    if (event.type === 'snapshot') snapshot = event.processes;
    else if (event.type === 'container-start') {
      running = true;
      changes = [];
    } else if (event.type === 'container-die') running = false;
    else if (event.type === 'process-spawn' || event.type === 'process-exit') changes.push(event);
  }
  const processes = running ? snapshot : [];
  const reference = Math.max(pointT, options.now ?? pointT);
  const since = reference - (options.recentMs ?? RECENT_MS);
  const present = new Set(processes.map((p) => p.pid));
  const spawned = new Set<number>();
  const exited = new Map<number, ProcessInfo>();
  for (const event of changes) {
    if (event.t < since) continue;
    if (event.type === 'process-spawn') {
      exited.delete(event.process.pid);
      if (present.has(event.process.pid)) spawned.add(event.process.pid);
    } else if (event.type === 'process-exit') {
      spawned.delete(event.process.pid);
      if (!present.has(event.process.pid)) exited.set(event.process.pid, event.process);
    }
  }
  return { processes, running, spawned, exited, seq: point, t: pointT };
}

/**
 * PIDs in the scenario's process list (as of `seq`) whose parent is now PID 1 but that were first seen
 * with another parent: orphans the kernel handed to PID 1, which must now reap them.
 */
export function reparentedPids(events: TimelineEvent[], scenario: string | undefined, seq?: number): Set<number> {
  const ordered = inOrder(events);
  const point = seq ?? ordered.at(-1)?.seq ?? -1;
  const firstParent = new Map<number, number>();
  for (const event of ordered) {
    if (event.seq > point) break;
    if (event.scenario !== scenario) continue;
    if (event.type === 'container-start') firstParent.clear();
    // Only the first sighting counts: an exec (same PID, new program) is reported as a second spawn.
    else if (event.type === 'process-spawn' && !firstParent.has(event.process.pid))
      firstParent.set(event.process.pid, event.process.ppid);
    // A PID can be reused by a later, unrelated process.
    else if (event.type === 'process-exit') firstParent.delete(event.process.pid);
  }
  const result = new Set<number>();
  for (const p of processesAt(ordered, scenario, point).processes) {
    const first = firstParent.get(p.pid);
    if (p.pid !== 1 && p.ppid === 1 && first !== undefined && first !== 1) result.add(p.pid);
  }
  return result;
}

/** A short explanation of an exit code: "0 = success", "137 = killed by SIGKILL", "OOM-killed (137)". */
export function explainExit(code: number, signal?: string, oomKilled = false): string {
  if (oomKilled) return `OOM-killed (${code})`;
  if (code < 0) return 'exit code unknown';
  const name = signal ?? signalFromExitCode(code);
  if (name) return `${code} = killed by ${name}`;
  return describeExit(code);
}

/** An estimated wait in whole seconds, at least 1: "about 12 s". */
export function waitSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/** A run time in seconds for labels: "1.32 s". */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds >= 100 ? seconds.toFixed(1) : seconds.toFixed(2)} s`;
}

const STEP_OUTCOMES: Record<EventOf<'action-end'>['outcome'], string> = {
  done: 'done',
  timeout: 'timed out',
  skipped: 'skipped',
};

/** Who sent a traced signal, in words. */
export function signalSender(event: EventOf<'signal'>): string {
  if (event.by === 'kernel') return 'the kernel (PID 1 ended)';
  if (event.by === 'outside' || event.from === undefined) return 'outside the container (Docker)';
  if (event.from === event.to) return 'itself (raised again to die of it, as Node does without a handler)';
  return `PID ${event.from} (${event.fromCommand})`;
}

/** One line of text for a lifecycle event (null for samples, output and other non-lifecycle events). */
export function eventLabel(event: TimelineEvent): string | null {
  switch (event.type) {
    case 'queued':
      return `queued (position ${event.position}${event.estimateMs === undefined ? '' : `, about ${waitSeconds(event.estimateMs)} s`})`;
    case 'rejected':
      return `Dockerfile rejected${event.line ? ` (line ${event.line})` : ''}: ${event.message}`;
    case 'build-start':
      return 'build started';
    case 'build-end':
      return event.ok
        ? `build finished in ${formatSeconds(event.durationMs)}`
        : `build failed${event.error ? `: ${event.error}` : ''}`;
    case 'scenario-start':
      return `scenario started${event.description ? `: ${event.description}` : ''}`;
    case 'container-create':
      return 'container created';
    case 'container-start':
      return 'container started';
    case 'container-die':
      return `exit ${explainExit(event.exitCode, event.signal, event.oomKilled)}${event.willRestart ? ' (will restart)' : ''}`;
    case 'container-restart':
      return `restart #${event.restartCount}`;
    case 'container-signal':
      return `${event.signal} sent to PID 1`;
    case 'container-stop':
      return 'docker stop finished';
    case 'signal':
      // Docker's own signals to PID 1 are said by its events (container-signal).
      if (event.by === 'outside' && event.to === 1) return null;
      return `${event.signal} to PID ${event.to} (${event.toCommand}) from ${signalSender(event)}${event.ignored ? ', ignored' : ''}`;
    case 'action-start':
      return `step: ${event.detail || event.kind}`;
    case 'action-end':
      return `step ${STEP_OUTCOMES[event.outcome]}${event.detail ? `: ${event.detail}` : ''}`;
    case 'deadline':
      return `${event.what} deadline reached (${formatSeconds(event.limitMs)})`;
    case 'disk-limit':
      return `killed at its disk limit: ${describeDiskUse(event)}`;
    case 'scenario-end':
      return 'scenario ended';
    case 'platform-error':
      return `platform error: ${event.message}`;
    case 'run-end':
      return `run ended: ${event.status}`;
    default:
      return null;
  }
}

/**
 * Why a run could not be judged, for its banner: the fault of the run as a whole, in the lab's words when
 * it has them (an engine lost, a cell gone), else the fault's own message inside a sentence.
 */
export function notJudgedBecause(events: TimelineEvent[]): string | undefined {
  const error = events.findLast(
    (event): event is EventOf<'platform-error'> => event.type === 'platform-error' && event.scenario === undefined,
  );
  if (!error) return undefined;
  if (error.forLearner) return error.message;
  return `The lab could not judge this run (${error.message}). This is not about your files: try again.`;
}
