// What became of every run, held against the faults around it. The database (through the learner's
// own GET /api/runs) has the last word on a run's status; a run a fault reached must end `error` or
// `interrupted` with a message a learner understands, or, if the fault missed it, with the verdict its
// files deserve. A verdict other than that one is a finding whatever the faults were.
import type { CheckResult } from '../lib/checks/check-result';
import { SOAK_EXERCISES } from './soak-cases';
import { GLOBAL_FAULTS, type FaultKind, type FaultRecord, type RunRecord, type SoakJournal } from './soak-journal';
import type { SoakLearner } from './soak-learner';

/**
 * How long after the engine answers again a run may still meet its outage: the lab's engine watch pings
 * every 5 s, so a run started right after dockerd is back can find the lab still counting it away. A
 * server that listens again has no such lag: its runs start clean.
 */
export const ENGINE_MARGIN_MS = 10_000;

/** Messages that are the machinery's own words, not a sentence for a learner. */
const RAW_ERROR = /\b(E[A-Z]{4,}|socket hang up|statusCode|Error:|at \S+ \()|\(HTTP code \d+\)/;

interface Attempt {
  runId: string;
  status: string;
  finishedAt?: string | null;
  checks?: CheckResult[];
}

/** Reads every learner's attempts of every soak exercise; fills in the runs' final status; returns every attempt's status by run id. */
export async function readFinalStatuses(learners: SoakLearner[], journal: SoakJournal): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const learner of learners) {
    for (const exerciseId of SOAK_EXERCISES) {
      const response = await learner.request('GET', `/api/runs?exerciseId=${encodeURIComponent(exerciseId)}`);
      const { attempts } = (await response.json()) as { attempts: Attempt[] };
      for (const attempt of attempts) {
        all.set(attempt.runId, attempt.status);
        const run = journal.runs.get(attempt.runId) ?? journal.probes.get(attempt.runId);
        if (!run) continue;
        run.finalStatus = attempt.status;
        run.finishedAt = attempt.finishedAt ? Date.parse(attempt.finishedAt) : undefined;
        run.failedChecks = (attempt.checks ?? [])
          .filter((check) => check.status !== 'pass' && !check.bonus)
          .map((check) => `${check.id}: ${check.message}`);
      }
    }
  }
  return all;
}

/** The faults that reached a run: aimed at it, or an outage that overlaps its life (with the margin). */
export function faultsOf(run: RunRecord, faults: FaultRecord[]): FaultRecord[] {
  const end = run.finishedAt ?? Date.now();
  return faults.filter((fault) =>
    GLOBAL_FAULTS.includes(fault.kind)
      ? fault.at <= end && fault.until + (fault.kind === 'server-kill' ? 0 : ENGINE_MARGIN_MS) >= run.acceptedAt
      : fault.runId === run.runId,
  );
}

/** How a run ended, seen from its files and the faults that reached it. */
export type Outcome =
  'as expected' | 'stopped by a fault' | 'WRONG VERDICT' | 'error without a fault' | 'NO FINAL STATUS';

/** Faults that may end a run with `error`/`interrupted` (a client leaving the stream must not). */
const explains = (fault: FaultRecord) => fault.kind !== 'client-disconnect';

export function outcomeOf(run: RunRecord, faults: FaultRecord[]): Outcome {
  const status = run.finalStatus;
  if (status === run.testCase.expected) return 'as expected';
  if (status === 'error' || status === 'interrupted')
    return faults.some(explains) ? 'stopped by a fault' : 'error without a fault';
  if (status === 'pass' || status === 'fail') return 'WRONG VERDICT';
  return 'NO FINAL STATUS';
}

/** Checks every run; each problem becomes a finding. Returns the error messages learners saw, with how many runs saw each. */
export function judgeRuns(journal: SoakJournal): Map<string, number> {
  const messages = new Map<string, number>();
  for (const run of journal.runs.values()) {
    const faults = faultsOf(run, journal.faults);
    const outcome = outcomeOf(run, faults);
    const label = `run ${run.runId} (${run.testCase.exerciseId} ${run.testCase.name}, learner ${run.learner})`;
    const reached = faults.map((fault) => fault.kind).join(', ') || 'no fault';
    if (outcome === 'WRONG VERDICT' || outcome === 'error without a fault' || outcome === 'NO FINAL STATUS') {
      const why = run.failedChecks.length ? `; failed checks: ${run.failedChecks.join(' | ')}` : '';
      const said = run.messages.length ? `; said: ${run.messages.join(' | ')}` : '';
      journal.finding(
        `${label}: expected ${run.testCase.expected}, ended ${run.finalStatus ?? 'missing'} (${reached})${why}${said}`,
      );
    }
    // A run whose stream the learner followed to an `error` must have said why, in words.
    if (run.streamStatus === 'error') {
      for (const message of run.messages) messages.set(message, (messages.get(message) ?? 0) + 1);
      if (run.messages.length === 0)
        journal.finding(`${label}: ended error with no message for the learner (${reached})`);
      for (const message of run.messages.filter((text) => RAW_ERROR.test(text)))
        journal.finding(`${label}: its error message is not in words (${reached}): ${message}`);
    }
    if (run.streamStatus && run.finalStatus && run.streamStatus !== run.finalStatus) {
      const engineLoss = run.streamStatus === 'error' && run.finalStatus === 'interrupted';
      if (!engineLoss)
        journal.finding(`${label}: the stream said ${run.streamStatus}, the database ${run.finalStatus}`);
    }
    for (const problem of run.sequenceProblems) journal.finding(`${label}: timeline out of order: ${problem}`);
  }
  return messages;
}

/** Per fault kind: how many were injected, how many runs they reached, and how those runs ended. */
export function faultTable(
  journal: SoakJournal,
): { kind: FaultKind; injected: number; runs: Record<string, number> }[] {
  const kinds = [...new Set(journal.faults.map((fault) => fault.kind))];
  return kinds.map((kind) => {
    const runs: Record<string, number> = {};
    for (const run of journal.runs.values()) {
      const outcome = outcomeOf(run, faultsOf(run, journal.faults));
      if (!faultsOf(run, journal.faults).some((fault) => fault.kind === kind)) continue;
      const key = `${run.finalStatus ?? 'missing'}${outcome === 'WRONG VERDICT' ? ' (WRONG)' : ''}`;
      runs[key] = (runs[key] ?? 0) + 1;
    }
    return { kind, injected: journal.faults.filter((fault) => fault.kind === kind).length, runs };
  });
}
