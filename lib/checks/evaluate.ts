// Judges an exercise from its recorded timeline: (check specs, events) -> results. Pure: it reads
// only what the processes did, never the learner's files.
import { referencesIn, withDrawnValues } from '../lessons/drawn-values';
import type { CheckSpec } from '../lessons/exercise-schema';
import { pid1 } from '../observe/process-tree';
import { argvOf, roleOf } from '../observe/program';
import type { EventOf, TimelineEvent } from '../observe/timeline-event';
import { assess } from './assess';
import { buildCheck } from './build-check';
import type { CheckResult } from './check-result';
import { markObservedMistakes, type MistakeSpec } from './mistakes';
import { evidenceOf, NotReached, ScenarioRecord, type Verdict } from './scenario-record';

/**
 * The hint for a failed check: the one for what PID 1 was (a shell, an init, a supervisor, a
 * placeholder, the program), where the exercise has one, so that an init in front of the program does
 * not get a hint about shells.
 */
function hintFor(check: CheckSpec, record: ScenarioRecord, seen?: Verdict['hintFor']): string {
  if (!check.hints) return check.hint;
  if (seen && check.hints[seen]) return check.hints[seen];
  const at =
    'at' in check.assert
      ? record.of('action-end').find((event) => event.action === (check.assert as { at: string }).at)
      : undefined;
  const snapshots = record.of('snapshot').filter((snapshot) => !at || snapshot.seq <= at.seq);
  const first = [...snapshots]
    .reverse()
    .map((snapshot) => pid1(snapshot.processes))
    .find(Boolean);
  return (first && check.hints[roleOf(argvOf(first), first.exe)]) ?? check.hint;
}

/**
 * Evaluates every check over the timeline, in order, after the synthetic build check; a failed check is
 * marked with the exercise's known mistakes whose observations held (lib/checks/mistakes.ts).
 */
export function evaluateChecks(
  checks: CheckSpec[],
  events: TimelineEvent[],
  mistakes: Record<string, MistakeSpec> = {},
): CheckResult[] {
  const build = buildCheck(events);
  const results: CheckResult[] = [build];
  // A fault of the run as a whole (its engine lost, say) cut every scenario short: none is judged.
  const runError = events.find(
    (event): event is EventOf<'platform-error'> => event.type === 'platform-error' && event.scenario === undefined,
  );
  for (const check of checks) {
    const base = { id: check.id, title: check.title, bonus: check.bonus, scenario: check.scenario };
    if (build.status !== 'pass') {
      const observed = build.status === 'error' ? 'the build did not finish' : 'not observed: the image did not build';
      results.push({
        ...base,
        status: build.status,
        expected: check.title,
        observed,
        message: observed,
        hint: build.hint,
      });
      continue;
    }
    const scenarioEvents = events.filter((event) => event.scenario === check.scenario);
    if (check.traced && !scenarioEvents.some((event) => event.type === 'signal-trace')) continue;
    const platformError = scenarioEvents.find(
      (event): event is EventOf<'platform-error'> => event.type === 'platform-error',
    );
    if (runError && !platformError) {
      const observed = 'not observed: the run stopped before the lab could see it';
      results.push({ ...base, status: 'error', expected: check.title, observed, message: observed });
      continue;
    }
    if (platformError) {
      results.push({
        ...base,
        status: 'error',
        expected: check.title,
        observed: platformError.message,
        message: `the lab could not observe this: ${platformError.message}`,
        evidence: evidenceOf(platformError),
      });
      continue;
    }
    // Values the lab drew for this run stand for ${NAME} in the assertion, and the learner is told them.
    const drawn =
      scenarioEvents.find((event): event is EventOf<'scenario-start'> => event.type === 'scenario-start')?.drawn ?? {};
    const used = referencesIn(JSON.stringify(check.assert)).filter((name) => name in drawn);
    const drawnNote = used.length
      ? ` (drawn for this run: ${used.map((name) => `${name}=${drawn[name]}`).join(', ')})`
      : '';
    let verdict: Verdict;
    try {
      verdict = assess(withDrawnValues(check.assert, drawn), new ScenarioRecord(scenarioEvents));
      verdict = { ...verdict, expected: `${check.expect ?? verdict.expected}${drawnNote}` };
    } catch (error) {
      if (!(error instanceof NotReached)) throw error;
      verdict = { pass: false, expected: check.title, observed: error.message };
    }
    results.push({
      ...base,
      status: verdict.pass ? 'pass' : 'fail',
      expected: verdict.expected,
      observed: verdict.observed,
      message: `expected ${verdict.expected}; observed ${verdict.observed}`,
      evidence: evidenceOf(verdict.evidence),
      hint: verdict.pass ? undefined : hintFor(check, new ScenarioRecord(scenarioEvents), verdict.hintFor),
    });
  }
  return markObservedMistakes(mistakes, results, events);
}
