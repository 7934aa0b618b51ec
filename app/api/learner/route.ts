// GET/PUT /api/learner: the visiting learner's display name (no sign-up: the signed cookie is who they are).
// POST /api/learner: gives a new visitor their cookie (the terminal's WebSocket needs one and cannot set it).
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { displayNameOf, setDisplayName } from '@/lib/db/learner-store';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { learnerOf, learnerOrNew, rememberLearner } from '@/lib/learners/learner-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

const NameSchema = z
  .object({ displayName: z.string().trim().min(1, 'a name, please').max(60, 'at most 60 characters') })
  .strict();

export async function GET(request: NextRequest) {
  const learnerId = learnerOf(request);
  try {
    return NextResponse.json({ displayName: learnerId ? await displayNameOf(learnerId) : null });
  } catch (error) {
    return errorResponse(error, { learner: learnerId });
  }
}

export async function PUT(request: NextRequest) {
  const { learnerId } = learnerOrNew(request);
  try {
    await services().learnerLimits.take('write', learnerId);
    const body = NameSchema.parse(
      await request.json().catch(() => {
        throw new HttpError(400, 'the body must be JSON: {"displayName": "..."}');
      }),
    );
    await setDisplayName(learnerId, body.displayName);
    return rememberLearner(NextResponse.json({ displayName: body.displayName }), learnerId);
  } catch (error) {
    return errorResponse(error, { learner: learnerId });
  }
}

export async function POST(request: NextRequest) {
  const { learnerId, isNew } = learnerOrNew(request);
  const response = NextResponse.json({ ok: true });
  return isNew ? rememberLearner(response, learnerId) : response;
}
