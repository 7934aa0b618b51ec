// POST /api/workshops/<id>/reopen (instructor's key): an ended workshop is open again.
import type { NextRequest } from 'next/server';
import { instructorView, reopenWorkshop } from '@/lib/workshops/instructor-actions';
import { instructorAction, type WorkshopParams } from '@/lib/workshops/instructor-request';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest, context: WorkshopParams) {
  return instructorAction(request, context, async (workshop) => ({
    workshop: await instructorView(await reopenWorkshop(workshop)),
  }));
}
