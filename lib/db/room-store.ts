// What an instructor's dashboard reads of a workshop: its members, their attempts on its exercises,
// their drafts, and one learner's latest attempt. Reads only; lib/workshops/ makes the view.
import type { CheckResult } from '../checks/check-result';
import type { PredictionOutcome } from '../checks/predictions';
import { db } from './client';
import { attemptRecord } from './learner-store';

export interface RoomRows {
  members: { learnerId: string; displayName: string; joinedAt: number }[];
  attempts: {
    id: string;
    learnerId: string;
    exerciseId: string;
    status: string;
    checks?: CheckResult[];
    predictions?: PredictionOutcome[];
    startedAt: number;
    finishedAt?: number;
  }[];
  drafts: { learnerId: string; exerciseId: string; updatedAt: number }[];
  /** Per learner and exercise they sought help on: hint steps seen (2 and 3), fixes seen, when they opened the solution. */
  help: { learnerId: string; exerciseId: string; hintSteps: number; fixes: number; solutionShownAt?: number }[];
}

/** The records of a workshop's members on the given exercises (of one member only, with `learnerId`). */
export async function roomRows(workshopId: string, exerciseIds: string[], learnerId?: string): Promise<RoomRows> {
  const members = await db().workshopMember.findMany({
    where: { workshopId, ...(learnerId ? { learnerId } : {}) },
    orderBy: { joinedAt: 'asc' },
  });
  const learnerIds = members.map((member) => member.learnerId);
  const [attempts, drafts, hintViews, solutions] = await Promise.all([
    db().attempt.findMany({
      where: { learnerId: { in: learnerIds }, exerciseId: { in: exerciseIds } },
      select: {
        id: true,
        learnerId: true,
        exerciseId: true,
        status: true,
        checks: true,
        predictions: true,
        startedAt: true,
        finishedAt: true,
      },
      orderBy: { startedAt: 'asc' },
    }),
    db().draft.findMany({
      where: { learnerId: { in: learnerIds }, exerciseId: { in: exerciseIds } },
      select: { learnerId: true, exerciseId: true, updatedAt: true },
    }),
    db().hintView.findMany({
      where: { learnerId: { in: learnerIds }, exerciseId: { in: exerciseIds } },
      select: { learnerId: true, exerciseId: true, level: true },
    }),
    db().progress.findMany({
      where: { learnerId: { in: learnerIds }, exerciseId: { in: exerciseIds }, solutionShownAt: { not: null } },
      select: { learnerId: true, exerciseId: true, solutionShownAt: true },
    }),
  ]);
  const help = new Map<string, RoomRows['help'][number]>();
  const helpOf = (learnerId: string, exerciseId: string) => {
    const key = `${learnerId} ${exerciseId}`;
    const entry = help.get(key) ?? { learnerId, exerciseId, hintSteps: 0, fixes: 0 };
    help.set(key, entry);
    return entry;
  };
  for (const view of hintViews) {
    const entry = helpOf(view.learnerId, view.exerciseId);
    entry.hintSteps += 1;
    if (view.level === 3) entry.fixes += 1;
  }
  for (const row of solutions) helpOf(row.learnerId, row.exerciseId).solutionShownAt = row.solutionShownAt!.getTime();
  return {
    members: members.map((member) => ({
      learnerId: member.learnerId,
      displayName: member.displayName,
      joinedAt: member.joinedAt.getTime(),
    })),
    attempts: attempts.map((row) => ({
      id: row.id,
      learnerId: row.learnerId,
      exerciseId: row.exerciseId,
      status: row.status,
      checks: row.checks ? (JSON.parse(row.checks) as CheckResult[]) : undefined,
      ...(row.predictions ? { predictions: JSON.parse(row.predictions) as PredictionOutcome[] } : {}),
      startedAt: row.startedAt.getTime(),
      finishedAt: row.finishedAt?.getTime(),
    })),
    drafts: drafts.map((row) => ({
      learnerId: row.learnerId,
      exerciseId: row.exerciseId,
      updatedAt: row.updatedAt.getTime(),
    })),
    help: [...help.values()],
  };
}

/** A member's latest attempt on an exercise, whole (files, checks, kept timeline); null when none. */
export async function latestAttemptOf(workshopId: string, learnerId: string, exerciseId: string) {
  const member = await db().workshopMember.findUnique({ where: { workshopId_learnerId: { workshopId, learnerId } } });
  if (!member) return null;
  const row = await db().attempt.findFirst({ where: { learnerId, exerciseId }, orderBy: { startedAt: 'desc' } });
  if (!row) return { displayName: member.displayName, attempt: null };
  const attempt = attemptRecord(row);
  return {
    displayName: member.displayName,
    attempt: {
      ...attempt,
      checks: attempt.checks ?? [],
      summary: attempt.summary ?? {},
      startedAt: attempt.startedAt.getTime(),
      finishedAt: attempt.finishedAt?.getTime(),
    },
  };
}
