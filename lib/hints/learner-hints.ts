// A learner's graded hints for one exercise: which steps of each check they have open, the texts of
// those steps only (a step's text leaves the server when it is recorded as seen), and whether the
// solution may be shown. The rules are in hint-policy.ts.
import { failedRunsOf, hintViewsOf, recordHintView } from '../db/hint-store';
import { currentMembership } from '../db/workshop-store';
import { HttpError } from '../http/http-error';
import { hintStepsByCheck, loadCurriculum, type Exercise, type Lesson } from '../lessons/curriculum';
import { lessonHeadings } from '../lessons/heading-ids';
import {
  refusalToOpen,
  solutionAccess,
  unlockedLevel,
  UNLOCK_AFTER_FAILED_RUNS,
  type HintHow,
  type HintLevel,
  type SolutionAccess,
} from './hint-policy';

/** The steps of one check's graded hint that the learner has open. */
export interface CheckHintsView {
  /** The highest step open: 1 (only what was observed), 2 (the idea) or 3 (the fix). */
  opened: 1 | HintLevel;
  concept?: { text: string; href: string; section: string; lesson: string };
  fix?: string;
}

/** GET /api/hints: the learner's graded hints of an exercise. */
export interface HintsView {
  exerciseId: string;
  failedRuns: number;
  passed: boolean;
  /** The highest step that opens by itself now, and the failed runs after which each does. */
  unlockedLevel: 1 | HintLevel;
  unlockAfter: Record<HintLevel, number>;
  /** Per check that has later steps. */
  checks: Record<string, CheckHintsView>;
  solution: SolutionAccess;
}

function sectionOf(ref: string, lessons: Lesson[]): { href: string; section: string; lesson: string } {
  const [slug, id] = ref.split('#');
  const lesson = lessons.find((candidate) => candidate.slug === slug);
  const heading = lesson ? lessonHeadings(lesson.body).find((candidate) => candidate.id === id) : undefined;
  return { href: `/lessons/${slug}#${id}`, section: heading?.text ?? id, lesson: lesson?.title ?? slug };
}

/** Whether the learner's current workshop holds back the solutions of this exercise. */
export async function solutionsHeldFor(learnerId: string, exerciseId: string): Promise<boolean> {
  const current = await currentMembership(learnerId);
  if (!current) return false;
  const { workshop } = current;
  return workshop.solutionsHeld && !workshop.endedAt && workshop.exerciseIds.includes(exerciseId);
}

/** The learner's graded hints of `exercise`. */
export async function hintsOf(learnerId: string, exercise: Exercise): Promise<HintsView> {
  const [{ failedRuns, passed }, views, held] = await Promise.all([
    failedRunsOf(learnerId, exercise.id),
    hintViewsOf(learnerId, exercise.id),
    solutionsHeldFor(learnerId, exercise.id),
  ]);
  const checks: Record<string, CheckHintsView> = {};
  // Read from disk once for every section linked, and only when a step names one.
  let lessons: Lesson[] | undefined;
  for (const [checkId, steps] of Object.entries(hintStepsByCheck(exercise))) {
    if (!steps) continue;
    const opened = views
      .filter((view) => view.checkId === checkId)
      .reduce<1 | HintLevel>((max, view) => (view.level > max ? view.level : max), 1);
    checks[checkId] = {
      opened,
      ...(opened >= 2
        ? { concept: { text: steps.concept.text, ...sectionOf(steps.concept.section, (lessons ??= loadCurriculum())) } }
        : {}),
      ...(opened >= 3 ? { fix: steps.fix } : {}),
    };
  }
  return {
    exerciseId: exercise.id,
    failedRuns,
    passed,
    unlockedLevel: unlockedLevel(failedRuns),
    unlockAfter: UNLOCK_AFTER_FAILED_RUNS,
    checks,
    solution: solutionAccess({ held, passed, failedRuns, fixSeen: views.some((view) => view.level === 3) }),
  };
}

/**
 * Opens a step of a check's graded hint for the learner (recorded), or refuses: 404 for a check without
 * later steps, 409 when the step may not open yet. Answers the hints as they are then.
 */
export async function openHint(
  learnerId: string,
  exercise: Exercise,
  request: { checkId: string; level: HintLevel; how: HintHow },
): Promise<HintsView> {
  if (!hintStepsByCheck(exercise)[request.checkId])
    throw new HttpError(404, `the check ${request.checkId} of ${exercise.id} has no further hints`);
  const before = await hintsOf(learnerId, exercise);
  const refusal = refusalToOpen(request.level, request.how, before.failedRuns, before.checks[request.checkId].opened);
  if (refusal) throw new HttpError(409, refusal);
  // A step opens with the ones before it: the fix is never read without its idea.
  for (const level of [2, 3] as const)
    if (level <= request.level && before.checks[request.checkId].opened < level)
      await recordHintView(learnerId, { exerciseId: exercise.id, checkId: request.checkId, level, how: request.how });
  return hintsOf(learnerId, exercise);
}
