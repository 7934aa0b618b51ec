// What the soak saw, as it happened: every run a learner was told about, every fault injected, every
// draft saved, and the findings. The checks and the summary read it once all runs are done; the fault
// injector listens to it to place faults while runs are live.
import { EventEmitter } from 'node:events';
import type { SoakCase } from './soak-cases';

/** The kinds of fault the soak injects. */
export const FAULT_KINDS = [
  'server-kill',
  'engine-crash',
  'engine-restart',
  'container-kill',
  'client-disconnect',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that reach every run in flight at the time; the others are aimed at one run. */
export const GLOBAL_FAULTS: readonly FaultKind[] = ['server-kill', 'engine-crash', 'engine-restart'];

/** One fault: when it began, when what it broke was back (the server listening, the engine answering). */
export interface FaultRecord {
  kind: FaultKind;
  at: number;
  until: number;
  /** The run it was aimed at (container-kill, client-disconnect). */
  runId?: string;
  detail: string;
  /** The new server rebuilt the web app before listening (its sources changed during the soak). */
  rebuilt?: boolean;
}

/** One run a learner was told about (202), and what the learner and the database said of it. */
export interface RunRecord {
  runId: string;
  learner: number;
  testCase: SoakCase;
  acceptedAt: number;
  /** The `result` event, when the learner followed the stream to its end. */
  streamStatus?: string;
  /** `platform-error` messages of the timeline, as the learner's page shows them. */
  messages: string[];
  /** Timeline events with their seq out of order after a reconnect (a gap or a repeat). */
  sequenceProblems: string[];
  disconnects: number;
  /** The learner went away mid-stream and did not come back for this run. */
  abandoned: boolean;
  /** The server went away under the stream (its run is then only in the database). */
  streamCut: boolean;
  /** From the database (GET /api/runs), read at the end. */
  finalStatus?: string;
  finishedAt?: number;
  /** The checks that did not pass, `id: message`, for the findings. */
  failedChecks: string[];
}

/** A draft PUT: what was sent, and whether the server said it was saved (undefined: no answer came). */
export interface DraftRecord {
  learner: number;
  exerciseId: string;
  content: string;
  saved: boolean | undefined;
}

/** A time until a learner could run again after a fault that took the server or the engine away. */
export interface Recovery {
  kind: FaultKind;
  ms: number;
  /** Measured across a rebuild of the web app: not what a learner waits for otherwise. */
  rebuilt?: boolean;
}

/** The soak's record, and the events the fault injector waits for. */
export class SoakJournal extends EventEmitter<{
  'container-start': [runId: string];
  'run-end': [runId: string];
}> {
  readonly runs = new Map<string, RunRecord>();
  /** The fault injector's probe runs, which time the recoveries (not counted among the runs). */
  readonly probes = new Map<string, RunRecord>();
  /** After each outage of the server or the engine: how long until a probe run was judged. */
  readonly recoveries: Recovery[] = [];
  readonly faults: FaultRecord[] = [];
  readonly drafts: DraftRecord[] = [];
  readonly findings: string[] = [];
  /** Runs whose container runs now, as their learner's stream last said. */
  readonly live = new Set<string>();
  /** POST /api/runs that got no answer (the server died first): their attempts may exist unannounced. */
  unansweredStarts = 0;
  /** Answers the learners had to wait out and try again: 429, 503, 409. */
  readonly retries: Record<string, number> = {};
  ended = 0;

  addRun(record: RunRecord): void {
    this.runs.set(record.runId, record);
  }

  containerStarted(runId: string): void {
    this.live.add(runId);
    this.emit('container-start', runId);
  }

  runEnded(runId: string): void {
    this.live.delete(runId);
    this.ended += 1;
    this.emit('run-end', runId);
  }

  fault(record: FaultRecord): void {
    this.faults.push(record);
    log(`fault ${record.kind}: ${record.detail}`);
  }

  finding(text: string): void {
    this.findings.push(text);
    log(`FINDING ${text}`);
  }

  retried(reason: string): void {
    this.retries[reason] = (this.retries[reason] ?? 0) + 1;
  }
}

const started = Date.now();

/** A progress line on stderr, stamped with the seconds since the soak began. */
export function log(text: string): void {
  process.stderr.write(`[soak +${((Date.now() - started) / 1000).toFixed(1)}s] ${text}\n`);
}
