// GET /api/workshop: the visiting learner's current workshop (title, state, exercises in order with
// their progress, the latest messages); 404 when they are in none (self-paced).
import { NextResponse, type NextRequest } from 'next/server';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { learnerOf } from '@/lib/learners/learner-request';
import { learnerWorkshop } from '@/lib/workshops/learner-workshop';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const learnerId = learnerOf(request);
  try {
    const workshop = learnerId ? await learnerWorkshop(learnerId) : null;
    if (!workshop) throw new HttpError(404, 'you are not in a workshop');
    return NextResponse.json({ workshop });
  } catch (error) {
    return errorResponse(error, { learner: learnerId });
  }
}
