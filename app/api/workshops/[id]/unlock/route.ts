// POST /api/workshops/<id>/unlock (instructor's key): new learners may join again.
// Answers the workshop as GET /api/workshops/<id> does.
import type { NextRequest } from 'next/server';
import { instructorView, setJoiningLocked } from '@/lib/workshops/instructor-actions';
import { instructorAction, type WorkshopParams } from '@/lib/workshops/instructor-request';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest, context: WorkshopParams) {
  return instructorAction(request, context, async (workshop) => ({
    workshop: await instructorView(await setJoiningLocked(workshop, false)),
  }));
}
