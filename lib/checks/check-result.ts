// The result of checking an exercise: one result per check, in the exercise's order.

/** pass and fail judge the learner's work; error means the platform could not observe it. */
export type CheckStatus = 'pass' | 'fail' | 'error';

/** What a result points at in the timeline. */
export interface Evidence {
  /** The timeline event (its seq) that shows the observation. */
  seq: number;
  t: number;
  type: string;
  /** The event in a few words. */
  summary: string;
  /** For a failed build: the last lines of the build output. */
  buildLog?: string[];
}

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was expected and what was observed. */
  message: string;
  expected: string;
  observed: string;
  evidence?: Evidence;
  /** Shown when the check failed. */
  hint?: string;
  /** A "going further" check: it does not decide the overall status. */
  bonus: boolean;
  scenario?: string;
  /**
   * For a failed check: the exercise's known mistakes naming it whose defining observations (`shows`)
   * held in this run (lib/checks/mistakes.ts). Kept with the stored result so a later reader recognises
   * the same mistakes without the timeline.
   */
  observedMistakes?: string[];
}

/** The overall status of a run. */
export function overallStatus(results: CheckResult[]): CheckStatus {
  if (results.some((result) => result.status === 'error')) return 'error';
  if (results.some((result) => !result.bonus && result.status === 'fail')) return 'fail';
  return 'pass';
}
