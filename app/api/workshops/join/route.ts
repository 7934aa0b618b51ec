// POST /api/workshops/join {code, displayName}: the learner (the cookie's, or a new one) joins the
// workshop of that code. Answers where to go first; refusals are 4xx with a reason (details.reason:
// bad-code, unknown-code, locked, full, not-started, closed, ended).
import { NextResponse, type NextRequest } from 'next/server';
import { clientAddress } from '@/lib/http/client-address';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { learnerOrNew, rememberLearner } from '@/lib/learners/learner-request';
import { joinWorkshop } from '@/lib/workshops/join-workshop';
import { JoinWorkshopSchema } from '@/lib/workshops/workshop-request';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest) {
  const { learnerId, isNew } = learnerOrNew(request);
  try {
    const body = JoinWorkshopSchema.parse(
      await request.json().catch(() => {
        throw new HttpError(400, 'the body must be JSON: {"code": "K7RM4Q", "displayName": "..."}');
      }),
    );
    return rememberLearner(NextResponse.json(await joinWorkshop(learnerId, clientAddress(request), body)), learnerId);
  } catch (error) {
    const response = errorResponse(error, { learner: learnerId });
    return isNew ? rememberLearner(response, learnerId) : response;
  }
}
