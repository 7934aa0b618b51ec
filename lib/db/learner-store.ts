// What the lab keeps about learners: drafts, attempts with their results, and progress. Every write
// is committed before the request that caused it is answered, so a killed server loses nothing it
// has acknowledged.
import type { CheckResult, CheckStatus } from '../checks/check-result';
import type { PredictionOutcome } from '../checks/predictions';
import type { LearnerFile } from '../sandbox/learner-files';
import { db } from './client';

/** A learner's standing on one exercise. */
export interface ExerciseProgress {
  exerciseId: string;
  status: 'working' | 'passing' | 'failing';
  attempts: number;
  passedAt?: Date;
  solutionShownAt?: Date;
}

/** A recorded attempt. */
export interface AttemptRecord {
  id: string;
  exerciseId: string;
  status: CheckStatus | 'running' | 'interrupted';
  files: LearnerFile[];
  checks?: CheckResult[];
  summary?: Record<string, unknown>;
  /** For a diagnosis exercise: the incident the answer was checked against. */
  incidentId?: string;
  /** The learner's predictions, with what the run showed of each once it finished. */
  predictions?: PredictionOutcome[];
  startedAt: Date;
  finishedAt?: Date;
}

async function ensureLearner(learnerId: string) {
  await db().learner.upsert({ where: { id: learnerId }, create: { id: learnerId }, update: {} });
}

/** Sets the name a learner goes by (shown to instructors); no account needed. */
export async function setDisplayName(learnerId: string, displayName: string): Promise<void> {
  await db().learner.upsert({
    where: { id: learnerId },
    create: { id: learnerId, displayName },
    update: { displayName },
  });
}

export async function displayNameOf(learnerId: string): Promise<string | null> {
  return (await db().learner.findUnique({ where: { id: learnerId } }))?.displayName ?? null;
}

export async function saveDraft(learnerId: string, exerciseId: string, files: LearnerFile[]): Promise<void> {
  await ensureLearner(learnerId);
  const data = { files: JSON.stringify(files) };
  await db().draft.upsert({
    where: { learnerId_exerciseId: { learnerId, exerciseId } },
    create: { learnerId, exerciseId, ...data },
    update: data,
  });
  await db().progress.upsert({
    where: { learnerId_exerciseId: { learnerId, exerciseId } },
    create: { learnerId, exerciseId, status: 'working' },
    update: {},
  });
}

export async function loadDraft(learnerId: string, exerciseId: string): Promise<LearnerFile[] | null> {
  const draft = await db().draft.findUnique({ where: { learnerId_exerciseId: { learnerId, exerciseId } } });
  return draft ? (JSON.parse(draft.files) as LearnerFile[]) : null;
}

/** Records an attempt as running, before the run is acknowledged to the learner. */
export async function recordAttemptStart(attempt: {
  id: string;
  learnerId: string;
  exerciseId: string;
  files: LearnerFile[];
  incidentId?: string;
  predictions?: PredictionOutcome[];
  /** The cell that runs it, when the lab runs as several. */
  cell?: string;
}): Promise<void> {
  await ensureLearner(attempt.learnerId);
  await db().attempt.create({
    data: {
      id: attempt.id,
      learnerId: attempt.learnerId,
      exerciseId: attempt.exerciseId,
      files: JSON.stringify(attempt.files),
      status: 'running',
      incidentId: attempt.incidentId,
      predictions: attempt.predictions?.length ? JSON.stringify(attempt.predictions) : null,
      cell: attempt.cell,
    },
  });
}

/** Records an attempt's outcome and moves the learner's progress on. */
export async function recordAttemptEnd(end: {
  id: string;
  learnerId: string;
  exerciseId: string;
  /** interrupted: the run lost its engine, and nothing was judged. */
  status: CheckStatus | 'interrupted';
  checks: CheckResult[];
  summary: Record<string, unknown>;
  /** The predictions judged against the run (left as they were when absent). */
  predictions?: PredictionOutcome[];
}): Promise<void> {
  const now = new Date();
  await db().attempt.update({
    where: { id: end.id },
    data: {
      status: end.status,
      checks: JSON.stringify(end.checks),
      summary: JSON.stringify(end.summary),
      ...(end.predictions?.length ? { predictions: JSON.stringify(end.predictions) } : {}),
      finishedAt: now,
    },
  });
  const key = { learnerId: end.learnerId, exerciseId: end.exerciseId };
  const previous = await db().progress.findUnique({ where: { learnerId_exerciseId: key } });
  const status =
    end.status === 'pass' || previous?.passedAt
      ? 'passing'
      : end.status === 'fail'
        ? 'failing'
        : (previous?.status ?? 'working');
  await db().progress.upsert({
    where: { learnerId_exerciseId: key },
    create: { ...key, status, attempts: 1, passedAt: end.status === 'pass' ? now : null },
    update: {
      status,
      attempts: { increment: 1 },
      ...(end.status === 'pass' && !previous?.passedAt ? { passedAt: now } : {}),
    },
  });
}

/**
 * Attempts left `running` by a server that died: they will never finish. Returns how many. With
 * `startedBefore`, only those started before it: where several cells share the database, the others'
 * runs in flight are not this cell's to end, and only an attempt older than any run lasts is surely dead.
 */
export async function markInterruptedAttempts(startedBefore?: Date): Promise<number> {
  const result = await db().attempt.updateMany({
    where: { status: 'running', ...(startedBefore ? { startedAt: { lt: startedBefore } } : {}) },
    data: { status: 'interrupted', finishedAt: new Date() },
  });
  return result.count;
}

export async function recordSolutionShown(learnerId: string, exerciseId: string): Promise<void> {
  await ensureLearner(learnerId);
  const key = { learnerId, exerciseId };
  await db().progress.upsert({
    where: { learnerId_exerciseId: key },
    create: { ...key, status: 'working', solutionShownAt: new Date() },
    update: { solutionShownAt: new Date() },
  });
}

export async function progressOf(learnerId: string): Promise<ExerciseProgress[]> {
  const rows = await db().progress.findMany({ where: { learnerId } });
  return rows.map((row) => ({
    exerciseId: row.exerciseId,
    status: row.status as ExerciseProgress['status'],
    attempts: row.attempts,
    passedAt: row.passedAt ?? undefined,
    solutionShownAt: row.solutionShownAt ?? undefined,
  }));
}

/** An attempt row as the lab reads it (files, checks and summary are stored as JSON). */
export function attemptRecord(row: {
  id: string;
  exerciseId: string;
  status: string;
  files: string;
  checks: string | null;
  summary: string | null;
  incidentId: string | null;
  predictions?: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}): AttemptRecord {
  return {
    id: row.id,
    exerciseId: row.exerciseId,
    status: row.status as AttemptRecord['status'],
    files: JSON.parse(row.files) as LearnerFile[],
    checks: row.checks ? (JSON.parse(row.checks) as CheckResult[]) : undefined,
    summary: row.summary ? (JSON.parse(row.summary) as Record<string, unknown>) : undefined,
    incidentId: row.incidentId ?? undefined,
    predictions: row.predictions ? (JSON.parse(row.predictions) as PredictionOutcome[]) : undefined,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt ?? undefined,
  };
}

export async function attemptsOf(learnerId: string, exerciseId: string): Promise<AttemptRecord[]> {
  const rows = await db().attempt.findMany({ where: { learnerId, exerciseId }, orderBy: { startedAt: 'desc' } });
  return rows.map(attemptRecord);
}

/** One attempt of a learner by its run id, or null (another learner's attempt is not theirs to see). */
export async function attemptOf(learnerId: string, runId: string): Promise<AttemptRecord | null> {
  const row = await db().attempt.findFirst({ where: { id: runId, learnerId } });
  return row ? attemptRecord(row) : null;
}
