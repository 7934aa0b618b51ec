// What the lab keeps of graded hints: each step a learner saw (lib/hints/hint-policy.ts), and the
// counts a learner's hints and the solution depend on.
import type { HintHow, HintLevel } from '../hints/hint-policy';
import { db } from './client';

/** A step of a check's graded hint that a learner saw. */
export interface HintViewRecord {
  exerciseId: string;
  checkId: string;
  level: HintLevel;
  how: HintHow;
  openedAt: Date;
}

/** Records that the learner saw a step; the first time counts (how and when it opened). */
export async function recordHintView(learnerId: string, view: Omit<HintViewRecord, 'openedAt'>): Promise<void> {
  await db().learner.upsert({ where: { id: learnerId }, create: { id: learnerId }, update: {} });
  await db().hintView.upsert({
    where: {
      learnerId_exerciseId_checkId_level: {
        learnerId,
        exerciseId: view.exerciseId,
        checkId: view.checkId,
        level: view.level,
      },
    },
    create: { learnerId, ...view },
    update: {},
  });
}

type HintViewRow = Awaited<ReturnType<ReturnType<typeof db>['hintView']['findMany']>>[number];

function viewOf(row: HintViewRow): HintViewRecord & { learnerId: string } {
  return {
    learnerId: row.learnerId,
    exerciseId: row.exerciseId,
    checkId: row.checkId,
    level: row.level as HintLevel,
    how: row.how as HintHow,
    openedAt: row.openedAt,
  };
}

/** The steps a learner saw, of one exercise or of all. */
export async function hintViewsOf(learnerId: string, exerciseId?: string): Promise<HintViewRecord[]> {
  const rows = await db().hintView.findMany({
    where: { learnerId, ...(exerciseId ? { exerciseId } : {}) },
    orderBy: { openedAt: 'asc' },
  });
  return rows.map(viewOf);
}

/** How many runs of the exercise the learner failed, and whether they have passed it. */
export async function failedRunsOf(
  learnerId: string,
  exerciseId: string,
): Promise<{ failedRuns: number; passed: boolean }> {
  const [failedRuns, progress] = await Promise.all([
    db().attempt.count({ where: { learnerId, exerciseId, status: 'fail' } }),
    db().progress.findUnique({
      where: { learnerId_exerciseId: { learnerId, exerciseId } },
      select: { passedAt: true },
    }),
  ]);
  return { failedRuns, passed: Boolean(progress?.passedAt) };
}
