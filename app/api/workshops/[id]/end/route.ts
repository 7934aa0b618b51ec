// POST /api/workshops/<id>/end (instructor's key): ends the workshop. Answers once every current
// member's sandbox is stopped: {workshop, stoppedSandboxes}. Records stay; /reopen undoes the end.
import type { NextRequest } from 'next/server';
import { endWorkshop, instructorView } from '@/lib/workshops/instructor-actions';
import { instructorAction, type WorkshopParams } from '@/lib/workshops/instructor-request';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest, context: WorkshopParams) {
  return instructorAction(request, context, async (workshop) => {
    const { workshop: ended, stoppedSandboxes } = await endWorkshop(workshop);
    return { workshop: await instructorView(ended), stoppedSandboxes };
  });
}
