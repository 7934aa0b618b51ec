// GET /api/hints?exerciseId=<id>: the learner's graded hints of an exercise (the steps they have open,
// whether the solution may be shown). POST /api/hints?exerciseId=<id> {checkId, level, how}: opens a step,
// recorded; refused (409) when it may not open yet. See lib/hints/hint-policy.ts.
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { jsonBody } from '@/lib/http/json-body';
import { hintsOf, openHint } from '@/lib/hints/learner-hints';
import { learnerOf, learnerOrNew, rememberLearner } from '@/lib/learners/learner-request';
import { exerciseOfRequest } from '@/lib/lessons/exercise-request';
import { IdSchema } from '@/lib/lessons/schema-primitives';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  try {
    const exercise = exerciseOfRequest(request);
    const learnerId = learnerOf(request);
    if (!learnerId) throw new HttpError(404, 'no learner: run the exercise first');
    return NextResponse.json(await hintsOf(learnerId, exercise));
  } catch (error) {
    return errorResponse(error);
  }
}

const OpenHintSchema = z
  .object({ checkId: IdSchema, level: z.union([z.literal(2), z.literal(3)]), how: z.enum(['requested', 'unlocked']) })
  .strict();

export async function POST(request: NextRequest) {
  const { learnerId } = learnerOrNew(request);
  try {
    await services().learnerLimits.take('write', learnerId);
    const exercise = exerciseOfRequest(request);
    const body = OpenHintSchema.parse(
      await jsonBody(request, 1024, '{"checkId", "level": 2 | 3, "how": "requested" | "unlocked"}'),
    );
    const hints = await openHint(learnerId, exercise, body);
    services().activity.emit({ learnerId, kind: 'help', exerciseId: exercise.id });
    return rememberLearner(NextResponse.json(hints), learnerId);
  } catch (error) {
    return errorResponse(error, { learner: learnerId });
  }
}
