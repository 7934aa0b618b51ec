// GET/PUT /api/drafts?exerciseId=<id>: the learner's draft of an exercise, kept on the server as they type.
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { loadDraft, saveDraft } from '@/lib/db/learner-store';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { learnerOf, learnerOrNew, rememberLearner } from '@/lib/learners/learner-request';
import { exerciseOfRequest } from '@/lib/lessons/exercise-request';
import { log } from '@/lib/log';
import { assertExerciseFiles, StartRunSchema } from '@/lib/realtime/run-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  try {
    const exercise = exerciseOfRequest(request);
    const learnerId = learnerOf(request);
    return NextResponse.json({ files: learnerId ? await loadDraft(learnerId, exercise.id) : null });
  } catch (error) {
    return errorResponse(error);
  }
}

const DraftSchema = z.object({ files: StartRunSchema.shape.files }).strict();

export async function PUT(request: NextRequest) {
  const { learnerId } = learnerOrNew(request);
  try {
    await services().learnerLimits.take('write', learnerId);
    const exercise = exerciseOfRequest(request);
    const body = DraftSchema.parse(
      await request.json().catch(() => {
        throw new HttpError(400, 'the body must be JSON: {"files": [{"name", "content"}]}');
      }),
    );
    assertExerciseFiles(exercise, body.files);
    await saveDraft(learnerId, exercise.id, body.files);
    services().activity.emit({ learnerId, kind: 'draft', exerciseId: exercise.id });
    // What the editor shows is in the terminal's working directory too, so `docker build .` builds it.
    // The draft is saved either way: a copy that fails is logged, not the learner's problem.
    await services()
      .workstations.putFiles(learnerId, body.files)
      .catch((error: unknown) =>
        log.warn('Failed to copy a draft into the workstation', {
          learner: learnerId,
          exercise: exercise.id,
          error: String(error),
        }),
      );
    return rememberLearner(NextResponse.json({ saved: true }), learnerId);
  } catch (error) {
    return errorResponse(error, { learner: learnerId });
  }
}
