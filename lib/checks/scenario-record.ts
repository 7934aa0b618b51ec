// The events of one scenario and the queries checks ask of them (steps, the state at a moment), with
// the words shared by the checks' verdicts.
import { describeDiskUse, describeExit } from '../observe/exit-status';
import type { EventOf, ProcessInfo, TimelineEvent } from '../observe/timeline-event';
import type { Evidence } from './check-result';
import { withoutPatterns } from './check-words';

/** What an assertion concludes: passed or not, in words, with the event that shows it. */
export type Verdict = {
  pass: boolean;
  expected: string;
  observed: string;
  evidence?: TimelineEvent;
  /** The check's hint for what was seen, chosen over the one for what PID 1 was (see CheckSpec.hints). */
  hintFor?: 'signalled';
};

/** Thrown inside an assertion when the step it refers to was never reached. */
export class NotReached extends Error {}

function summarize(event: TimelineEvent): string {
  switch (event.type) {
    case 'snapshot':
      return event.processes.length ? event.processes.map((p) => `${p.pid}:${p.command}`).join(', ') : 'no processes';
    case 'container-die':
      return `exited with ${describeExit(event.exitCode, event.oomKilled)}`;
    case 'output':
      return `${event.stream}: ${event.text}`;
    case 'process-spawn':
    case 'process-exit':
      return `PID ${event.process.pid} ${event.process.command}`;
    // A step by what the lab did, never its id, with any pattern in its description put in words.
    case 'action-start':
    case 'action-end':
      return withoutPatterns(event.detail);
    case 'container-signal':
      return `Docker sent ${event.signal} to PID 1`;
    case 'build-end':
      return event.ok ? 'built' : (event.error ?? 'build failed');
    default:
      return event.type;
  }
}

export function evidenceOf(event: TimelineEvent | undefined): Evidence | undefined {
  return event && { seq: event.seq, t: event.t, type: event.type, summary: summarize(event) };
}

export function describeProcesses(processes: ProcessInfo[]): string {
  return processes.length
    ? processes
        .map((p) => `PID ${p.pid} (parent ${p.ppid}) ${p.command}${p.state === 'Z' ? ' <zombie>' : ''}`)
        .join('; ')
    : 'no processes';
}

/** The events of one scenario, and the queries assertions ask of them. */
export class ScenarioRecord {
  constructor(readonly events: TimelineEvent[]) {}

  of<K extends TimelineEvent['type']>(type: K): EventOf<K>[] {
    return this.events.filter((event): event is EventOf<K> => event.type === type);
  }

  stepEnd(step: string): EventOf<'action-end'> {
    const end = this.of('action-end').find((event) => event.action === step);
    if (!end) {
      const deadline = this.of('deadline')[0];
      throw new NotReached(
        deadline
          ? `the scenario hit its ${deadline.limitMs} ms deadline before the lab got that far`
          : 'the scenario ended before the lab got that far',
      );
    }
    return end;
  }

  stepStart(step: string): EventOf<'action-start'> {
    const start = this.of('action-start').find((event) => event.action === step);
    if (!start) throw new NotReached('the scenario ended before the lab got that far');
    return start;
  }

  /** Processes and container state as of the event `seq`. */
  stateAt(seq: number): {
    running: boolean;
    processes: ProcessInfo[];
    snapshot?: EventOf<'snapshot'>;
    lastDie?: EventOf<'container-die'>;
    diskLimit?: EventOf<'disk-limit'>;
  } {
    const before = this.events.filter((event) => event.seq <= seq);
    const lifecycle = before
      .filter((event) => event.type === 'container-start' || event.type === 'container-die')
      .at(-1);
    const snapshot = before.filter((event): event is EventOf<'snapshot'> => event.type === 'snapshot').at(-1);
    const running = lifecycle?.type === 'container-start';
    const lastDie = before.filter((event): event is EventOf<'container-die'> => event.type === 'container-die').at(-1);
    const diskLimit = before.filter((event): event is EventOf<'disk-limit'> => event.type === 'disk-limit').at(-1);
    return { running, processes: running ? (snapshot?.processes ?? []) : [], snapshot, lastDie, diskLimit };
  }
}

export function notRunning(state: ReturnType<ScenarioRecord['stateAt']>): string {
  if (state.running)
    return state.processes.length ? 'PID 1 was not among the processes sampled' : 'no process had been sampled yet';
  if (!state.lastDie) return 'the container was not running';
  const disk =
    state.diskLimit && state.diskLimit.seq < state.lastDie.seq
      ? `; the lab stopped it: ${describeDiskUse(state.diskLimit)}`
      : '';
  return `the container had already exited (${describeExit(state.lastDie.exitCode, state.lastDie.oomKilled)}${disk})`;
}

/** Exit codes as numbers: drawn values (`${NAME}`) were put in before the assertion was assessed. */
export function numeric(codes: (number | string)[] | undefined): number[] | undefined {
  return codes?.map(Number);
}

export function codesText(codes: number[]): string {
  return codes.map((code) => describeExit(code)).join(' or ');
}

/** A process as the learner sees it in the tree: `PID 7 /bin/sh -c node worker.js`. */
export const named = (process: ProcessInfo) => `PID ${process.pid} (${process.command})`;
