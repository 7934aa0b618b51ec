// GET /api/workshops/<id> (instructor's key): the workshop, its members and its latest messages.
import type { NextRequest } from 'next/server';
import { instructorView } from '@/lib/workshops/instructor-actions';
import { instructorAction, type WorkshopParams } from '@/lib/workshops/instructor-request';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest, context: WorkshopParams) {
  return instructorAction(request, context, async (workshop) => ({ workshop: await instructorView(workshop) }));
}
