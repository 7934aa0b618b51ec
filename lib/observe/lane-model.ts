// The shapes of the process lanes (one row per process, a band per container incarnation, annotations
// of what Docker or the lab did), and the words for how a process ended.
import { failureWords } from './exit-status';
import type { EventOf, TimelineEvent } from './timeline-event';

/** How a process ended, as far as the lab could observe it. */
export type Ending =
  /** PID 1 returned this code. */
  | { kind: 'exit'; code: number }
  /** PID 1 was killed by a signal (exit code 128 + n). */
  | { kind: 'signal'; signal: string; code: number }
  /** PID 1 was killed by the kernel's OOM killer. */
  | { kind: 'oom'; code: number }
  /** Gone when PID 1 died: the kernel kills every process of the container's PID namespace. */
  | { kind: 'with-container' }
  /** Ended after a signal a process of the container (or Docker) sent it, not killed by the kernel (traced). */
  | { kind: 'after-signal'; signal: string; from?: number }
  /** Left while the container ran; only PID 1's exit code is visible from outside. */
  | { kind: 'exited' }
  /** A zombie its parent finally waited for. */
  | { kind: 'reaped' };

/** One life of a process within one container incarnation. */
export interface Segment {
  band: number;
  start: number;
  /** Undefined while it still runs. */
  end?: number;
  /** When the sampler first saw it as a zombie (exited, not yet reaped). */
  zombieFrom?: number;
  ending?: Ending;
  /** Programs it exec'd into after it was first seen, in order. */
  execs: { t: number; command: string }[];
  startSeq: number;
  endSeq?: number;
}

/** One row: the same PID and program in every incarnation (a restarted container starts it again). */
export interface LaneRow {
  key: string;
  pid: number;
  /** Nesting under its parent, from 0 (PID 1 and `docker exec` processes). */
  depth: number;
  /** The command line it was first seen with. */
  command: string;
  /** Started by `docker exec`, not by a process of the container. */
  viaExec: boolean;
  segments: Segment[];
}

/** One start-to-death of the container (a restart begins a new band). */
export interface Band {
  index: number;
  start: number;
  end?: number;
  exit?: { code: number; signal?: string; oomKilled: boolean; willRestart: boolean; seq: number };
  /** From the first signal Docker sent until PID 1 died or got SIGKILL: the time it had to exit. */
  grace?: { from: number; to?: number };
}

/** What the lab or Docker did, drawn across every row. */
export interface Annotation {
  t: number;
  seq: number;
  kind: 'stop' | 'signal' | 'sigkill' | 'exec' | 'deadline' | 'disk' | 'restart';
  /** A few words for the flag above the rows. */
  short: string;
  /** The sentence for the tooltip, the text alternative and the tree's caption. */
  label: string;
}

/** A step of the scenario, drawn as a bar on the steps row. */
export interface StepBar {
  seq: number;
  start: number;
  end?: number;
  title: string;
  detail: string;
  outcome?: string;
}

/** Everything the lanes view draws for one scenario. */
export interface ScenarioLanes {
  id: string;
  start: number;
  end: number;
  /** The scenario has ended: no bar grows any more. */
  ended: boolean;
  bands: Band[];
  rows: LaneRow[];
  annotations: Annotation[];
  steps: StepBar[];
}

/** The short words of an ending, for the badge at the end of a bar. */
export function endingShort(ending: Ending): string {
  switch (ending.kind) {
    case 'exit':
      return `exit ${ending.code}`;
    case 'signal':
      return `${ending.signal} (${ending.code})`;
    case 'oom':
      return `OOM-killed (${ending.code})`;
    case 'with-container':
      return 'killed with PID 1';
    case 'after-signal':
      return `after ${ending.signal}`;
    case 'exited':
      return 'exited';
    case 'reaped':
      return 'reaped';
  }
}

/** The sentence of an ending, for tooltips and the text alternative. */
export function endingLabel(ending: Ending): string {
  switch (ending.kind) {
    case 'exit':
      return ending.code === 0
        ? 'exited with 0 (success)'
        : `exited with ${ending.code} (${failureWords(ending.code, 'the program')})`;
    case 'signal':
      return `killed by ${ending.signal} (exit code ${ending.code})`;
    case 'oom':
      return `killed by the kernel's OOM killer (exit code ${ending.code})`;
    case 'with-container':
      return 'killed by the kernel when PID 1 died';
    case 'after-signal':
      return `ended after ${ending.signal} from ${ending.from === undefined ? 'outside the container' : `PID ${ending.from}`}`;
    case 'exited':
      return 'exited while the container ran';
    case 'reaped':
      return 'reaped by its parent';
  }
}

/** A step's kind in a few words, for its bar on the steps row. */
export const STEP_TITLES: Record<string, string> = {
  stop: 'docker stop',
  signal: 'send a signal',
  exec: 'docker exec',
  wait: 'wait',
  'wait-for-process': 'wait for a process',
  'wait-for-output': 'wait for output',
  'wait-for-exit': 'wait for the exit',
  'wait-for-restart': 'wait for a restart',
};

/**
 * The mark of a signal one process of the container sent another (Docker's to PID 1 are marked from
 * its own events; the kernel's SIGKILLs as PID 1 ends show as the lanes' ends): null for those.
 */
export function signalAnnotation(event: EventOf<'signal'>): Annotation | null {
  // A process signalling itself (Node re-raises a SIGTERM it has no handler for, to die of it) adds nothing.
  if (event.by !== 'process' || event.from === event.to) return null;
  return {
    t: event.t,
    seq: event.seq,
    kind: event.signal === 'SIGKILL' ? 'sigkill' : 'signal',
    short: `${event.signal} → ${event.to}`,
    label: `PID ${event.from} (${event.fromCommand}) sent ${event.signal} to PID ${event.to} (${event.toCommand})${event.ignored ? ', which ignored it' : ''}`,
  };
}

/**
 * Where the kernel's signals were traced, a process that ended with PID 1 but got no SIGKILL from the
 * kernel was not killed with it: it ended after the signal a process (or Docker) sent it last, as a
 * shell passing SIGTERM on and waiting shows. Without such evidence the ending stays as the samples said.
 */
export function tracedEndings(rows: LaneRow[], events: TimelineEvent[]): void {
  if (!events.some((event) => event.type === 'signal-trace')) return;
  const starts = events.filter((event) => event.type === 'container-start').map((event) => event.seq);
  const bandOf = (seq: number) => starts.filter((start) => start < seq).length - 1;
  const signals = events.filter((event): event is EventOf<'signal'> => event.type === 'signal' && !event.ignored);
  for (const row of rows)
    for (const segment of row.segments) {
      if (segment.ending?.kind !== 'with-container') continue;
      const got = signals.filter(
        (event) => event.to === row.pid && event.from !== row.pid && bandOf(event.seq) === segment.band,
      );
      const last = got.at(-1);
      if (!last || got.some((event) => event.by === 'kernel')) continue;
      segment.ending = {
        kind: 'after-signal',
        signal: last.signal,
        ...(last.from === undefined ? {} : { from: last.from }),
      };
    }
}
