// GET /api/incidents?exerciseId=<id>: the learner's current incident of a diagnosis exercise, never its truth.
// POST /api/incidents {exerciseId, fresh}: the learner's incident, staged if there is none (or with
// fresh: true, a new one in place of the current); answers once it is ready to investigate.
import { NextResponse, type NextRequest } from 'next/server';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { diagnosisExercise, OpenIncidentSchema } from '@/lib/incidents/incident-request';
import { learnerOf, learnerOrNew, rememberLearner } from '@/lib/learners/learner-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const learnerId = learnerOf(request);
  try {
    const exercise = diagnosisExercise(request.nextUrl.searchParams.get('exerciseId') ?? '');
    return NextResponse.json({ incident: learnerId ? await services().incidents.current(learnerId, exercise) : null });
  } catch (error) {
    return errorResponse(error, { learner: learnerId });
  }
}

export async function POST(request: NextRequest) {
  const { learnerId, isNew } = learnerOrNew(request);
  try {
    const body = OpenIncidentSchema.parse(
      await request.json().catch(() => {
        throw new HttpError(400, 'the body must be JSON: {"exerciseId": "...", "fresh": false}');
      }),
    );
    const exercise = diagnosisExercise(body.exerciseId);
    // A new incident builds and runs a container: it counts as a run. Opening the current one is a write
    // (it stages one only the first time).
    await services().learnerLimits.take(body.fresh ? 'run' : 'write', learnerId);
    const incidents = services().incidents;
    const incident = body.fresh
      ? await incidents.startNew(learnerId, exercise)
      : await incidents.open(learnerId, exercise);
    return rememberLearner(NextResponse.json({ incident }), learnerId);
  } catch (error) {
    const response = errorResponse(error, { learner: learnerId });
    return isNew ? rememberLearner(response, learnerId) : response;
  }
}
