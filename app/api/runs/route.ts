// POST /api/runs: build and run the learner's files for an exercise. Answers 202 with the run id; the
// page then follows /api/runs/<id>/events.
import { NextResponse, type NextRequest } from 'next/server';
import { attemptsOf } from '@/lib/db/learner-store';
import { HttpError, errorResponse } from '@/lib/http/errors';
import { learnerOf, learnerOrNew, rememberLearner } from '@/lib/learners/learner-request';
import { findExercise, mergeFiles } from '@/lib/lessons/curriculum';
import { assertPredictions } from '@/lib/realtime/run-predictions';
import { assertExerciseFiles, StartRunSchema } from '@/lib/realtime/run-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest) {
  const { learnerId, isNew } = learnerOrNew(request);
  try {
    const body = StartRunSchema.parse(
      await request.json().catch(() => {
        throw new HttpError(400, 'the body must be JSON: {"exerciseId": "...", "files": [{"name", "content"}]}');
      }),
    );
    const exercise = findExercise(body.exerciseId);
    if (!exercise) throw new HttpError(404, `no exercise ${body.exerciseId}`);
    assertExerciseFiles(exercise, body.files);
    assertPredictions(exercise, body.predictions ?? {});
    const lab = services();
    const run = await lab.runHub.start(
      learnerId,
      exercise,
      mergeFiles(exercise.starter, body.files),
      () => lab.learnerLimits.take('run', learnerId),
      body.predictions,
    );
    return rememberLearner(NextResponse.json({ runId: run.runId }, { status: 202 }), learnerId);
  } catch (error) {
    const response = errorResponse(error, { learner: learnerId });
    return isNew ? rememberLearner(response, learnerId) : response;
  }
}

// GET /api/runs?exerciseId=<id>: the learner's recent runs of that exercise, newest first, so that a
// reloaded page or a second tab shows the run in progress or the last result.
// Runs this server holds come first (they can be followed); older attempts come from the database.
export async function GET(request: NextRequest) {
  const learnerId = learnerOf(request);
  const exerciseId = request.nextUrl.searchParams.get('exerciseId') ?? '';
  if (!learnerId) return NextResponse.json({ runs: [], attempts: [] });
  try {
    const attempts = (await attemptsOf(learnerId, exerciseId)).map((attempt) => ({
      runId: attempt.id,
      status: attempt.status,
      startedAt: attempt.startedAt,
      finishedAt: attempt.finishedAt,
      checks: attempt.checks,
    }));
    return NextResponse.json({ runs: services().runHub.listFor(learnerId, exerciseId), attempts });
  } catch (error) {
    return errorResponse(error, { learner: learnerId });
  }
}
