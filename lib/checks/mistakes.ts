// Which of an exercise's known mistakes a result looks like: the mistakes are the exercise's `wrong/`
// cases, each with the checks it fails, the checks it passes and what the lab must have seen (`shows`:
// the processes, exits, files that define it), and a line about it. A result looks like a mistake when
// all three hold; the learner (and the instructor) are told its line. Failed checks alone are not
// enough: a daemon that forks and exits fails "PID 1 is the daemon" as a shell-form CMD does, and
// telling its author about shells would be wrong. What defines a mistake is judged from the observed
// timeline, never from the learner's files.
import { referencesIn, withDrawnValues } from '../lessons/drawn-values';
import type { Assertion } from '../lessons/exercise-schema';
import type { EventOf, TimelineEvent } from '../observe/timeline-event';
import { assess } from './assess';
import type { CheckResult } from './check-result';
import { NotReached, ScenarioRecord } from './scenario-record';

/** An observation that defines a mistake: an assertion over one scenario that must hold (or, with `not`, fail). */
export interface MistakeObservation {
  scenario: string;
  assert: Assertion;
  not?: boolean;
}

/** A known mistake as an exercise declares it. */
export interface MistakeSpec {
  about: string;
  fails: string[];
  passes?: string[];
  shows?: MistakeObservation[];
}

/** A known mistake a result looks like. */
export interface RecognisedMistake {
  id: string;
  about: string;
  /** How many checks it names: mistakes with as many as the first are as likely as it. */
  checks: number;
}

/** True when the observation holds on the recorded timeline; false when its scenario or step never came. */
function holds(observation: MistakeObservation, events: TimelineEvent[]): boolean {
  const scenarioEvents = events.filter((event) => event.scenario === observation.scenario);
  if (scenarioEvents.some((event) => event.type === 'platform-error')) return false;
  const drawn =
    scenarioEvents.find((event): event is EventOf<'scenario-start'> => event.type === 'scenario-start')?.drawn ?? {};
  if (referencesIn(JSON.stringify(observation.assert)).some((name) => !(name in drawn))) return false;
  try {
    const verdict = assess(withDrawnValues(observation.assert, drawn), new ScenarioRecord(scenarioEvents));
    return verdict.pass !== Boolean(observation.not);
  } catch (error) {
    if (error instanceof NotReached) return false;
    throw error;
  }
}

/**
 * The results with each failed check marked with the mistakes (naming it) whose observations all held
 * in this run. The mark travels with the stored results, so whoever reads them later (the
 * instructor's dashboard) recognises the same mistakes without the timeline.
 */
export function markObservedMistakes(
  mistakes: Record<string, MistakeSpec>,
  results: CheckResult[],
  events: TimelineEvent[],
): CheckResult[] {
  const seen = Object.entries(mistakes)
    .filter(([, mistake]) => mistake.shows?.length && mistake.shows.every((shown) => holds(shown, events)))
    .map(([id]) => id);
  return results.map((result) => {
    if (result.status !== 'fail') return result;
    const marks = seen.filter((id) => mistakes[id].fails.includes(result.id));
    return marks.length ? { ...result, observedMistakes: marks } : result;
  });
}

/**
 * The mistakes whose checks all failed, whose `passes` checks all passed, and whose observations the
 * results are marked with, the most specific (most checks) first. None when the image did not build
 * (nothing else was observed) or nothing failed.
 */
export function recogniseMistakes(
  mistakes: Record<string, { about: string; fails: string[]; passes?: string[]; shows?: unknown }>,
  results: CheckResult[],
): RecognisedMistake[] {
  if (results.some((result) => result.id === 'image-builds' && result.status !== 'pass')) return [];
  const byId = new Map(results.map((result) => [result.id, result]));
  // A mistake defined by observations (a list of assertions, or a diagnosis's facts) needs their mark.
  const observed = (shows: unknown) => shows !== undefined && !(Array.isArray(shows) && shows.length === 0);
  const looksLike = ([id, mistake]: [string, (typeof mistakes)[string]]) =>
    mistake.fails.every((check) => byId.get(check)?.status === 'fail') &&
    (mistake.passes ?? []).every((check) => byId.get(check)?.status === 'pass') &&
    (!observed(mistake.shows) || mistake.fails.every((check) => byId.get(check)?.observedMistakes?.includes(id)));
  return Object.entries(mistakes)
    .filter(looksLike)
    .sort(([, a], [, b]) => b.fails.length - a.fails.length)
    .map(([id, mistake]) => ({ id, about: mistake.about, checks: mistake.fails.length }));
}
