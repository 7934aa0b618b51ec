// Which of an exercise's known mistakes a result looks like: the mistakes are the exercise's `wrong/`
// cases, each with the checks it fails and a line about it. A result whose failed checks include all of
// a mistake's checks looks like that mistake; the learner (and the instructor) are told its line.
import type { CheckResult } from './check-result';

/** A known mistake a result looks like. */
export interface RecognisedMistake {
  id: string;
  about: string;
  /** How many checks it names: mistakes with as many as the first are as likely as it. */
  checks: number;
}

/**
 * The mistakes whose checks all failed, the most specific (most checks) first. None when the image did
 * not build (nothing else was observed) or nothing failed.
 */
export function recogniseMistakes(
  mistakes: Record<string, { about: string; fails: string[] }>,
  results: CheckResult[],
): RecognisedMistake[] {
  if (results.some((result) => result.id === 'image-builds' && result.status !== 'pass')) return [];
  const failed = new Set(results.filter((result) => result.status === 'fail').map((result) => result.id));
  return Object.entries(mistakes)
    .filter(([, mistake]) => mistake.fails.every((id) => failed.has(id)))
    .sort(([, a], [, b]) => b.fails.length - a.fails.length)
    .map(([id, mistake]) => ({ id, about: mistake.about, checks: mistake.fails.length }));
}
