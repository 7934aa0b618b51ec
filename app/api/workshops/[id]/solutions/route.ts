// POST /api/workshops/<id>/solutions {held} (instructor's key): holds the solutions of the workshop's
// exercises back from its members (held: true) or releases them; their pages hear of it at once.
// Answers the workshop as GET /api/workshops/<id> does.
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { jsonBody } from '@/lib/http/json-body';
import { instructorView, setSolutionsHeld } from '@/lib/workshops/instructor-actions';
import { instructorAction, type WorkshopParams } from '@/lib/workshops/instructor-request';

export const dynamic = 'force-dynamic';

const HoldSchema = z.object({ held: z.boolean() }).strict();

export async function POST(request: NextRequest, context: WorkshopParams) {
  return instructorAction(request, context, async (workshop) => {
    const { held } = HoldSchema.parse(await jsonBody(request, 256, '{"held": true | false}'));
    return { workshop: await instructorView(await setSolutionsHeld(workshop, held)) };
  });
}
