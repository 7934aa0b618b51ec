// GET /api/workshops/<id>/members/<learnerId>/latest?exercise=...&key=...: a member's latest attempt on
// an exercise, whole (files, checks, its kept timeline), for the instructor's click-through.
import { NextResponse, type NextRequest } from 'next/server';
import { latestAttemptOf } from '@/lib/db/room-store';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { authenticateInstructor, INSTRUCTOR_KEY_HEADER } from '@/lib/workshops/instructor-auth';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string; learnerId: string }> }) {
  const { id, learnerId } = await params;
  try {
    const workshop = await authenticateInstructor(
      id,
      request.headers.get(INSTRUCTOR_KEY_HEADER) ?? request.nextUrl.searchParams.get('key'),
    );
    const exerciseId = request.nextUrl.searchParams.get('exercise') ?? '';
    if (!workshop.exerciseIds.includes(exerciseId))
      throw new HttpError(404, `the workshop has no exercise ${exerciseId}`);
    const latest = await latestAttemptOf(workshop.id, learnerId, exerciseId);
    if (!latest) throw new HttpError(404, 'no such learner in this workshop');
    return NextResponse.json(latest);
  } catch (error) {
    return errorResponse(error, { workshop: id, learner: learnerId });
  }
}
