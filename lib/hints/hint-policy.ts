// When the steps of a graded hint open, and when the solution may be shown. Step 1 (what was observed
// and a nudge) is always shown with a failed check; step 2 (the idea, with the lesson section) and step 3
// (the concrete fix) open by themselves after enough failed runs of the exercise, or earlier when the
// learner asks, one step at a time. The solution comes after the hints, unless an instructor holds it back.

/** The level of a step: 2 the idea, 3 the fix. */
export type HintLevel = 2 | 3;

/** Failed runs of an exercise after which a step opens by itself. */
export const UNLOCK_AFTER_FAILED_RUNS: Record<HintLevel, number> = { 2: 2, 3: 3 };

/** How a step came to be opened: the learner asked, or enough failed runs opened it. */
export type HintHow = 'requested' | 'unlocked';

/** Whether the learner may open the solution now, and if not, why. */
export type SolutionAccess = 'open' | 'after-hints' | 'held';

/** The highest step that opens by itself after `failedRuns` failed runs (1: none yet). */
export function unlockedLevel(failedRuns: number): 1 | HintLevel {
  if (failedRuns >= UNLOCK_AFTER_FAILED_RUNS[3]) return 3;
  if (failedRuns >= UNLOCK_AFTER_FAILED_RUNS[2]) return 2;
  return 1;
}

/**
 * Why the learner may not open `level` of a check now (undefined: they may). A requested step needs the
 * step before it open; an unlocked one needs the failed runs.
 */
export function refusalToOpen(
  level: HintLevel,
  how: HintHow,
  failedRuns: number,
  openedBefore: number,
): string | undefined {
  if (how === 'unlocked')
    return unlockedLevel(failedRuns) >= level
      ? undefined
      : `this step opens by itself after ${UNLOCK_AFTER_FAILED_RUNS[level]} failed runs`;
  if (level === 3 && openedBefore < 2 && unlockedLevel(failedRuns) < 2) return 'open the idea behind this check first';
  return undefined;
}

/**
 * Whether the solution may be shown: never while an instructor holds it back; otherwise once the learner
 * has passed, has seen a fix, or has failed often enough for the fixes to open by themselves.
 */
export function solutionAccess(state: {
  held: boolean;
  passed: boolean;
  fixSeen: boolean;
  failedRuns: number;
}): SolutionAccess {
  if (state.held) return 'held';
  if (state.passed || state.fixSeen || unlockedLevel(state.failedRuns) === 3) return 'open';
  return 'after-hints';
}
