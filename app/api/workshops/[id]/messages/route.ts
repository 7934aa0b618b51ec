// POST /api/workshops/<id>/messages {text} (instructor's key): a short message to everyone in the
// workshop, shown at once on their pages. Answers 201 {message: {id, text, createdAt}}; 429 past the rate.
import type { NextRequest } from 'next/server';
import { HttpError } from '@/lib/http/errors';
import { postMessage } from '@/lib/workshops/instructor-actions';
import { instructorAction, type WorkshopParams } from '@/lib/workshops/instructor-request';
import { WorkshopMessageSchema } from '@/lib/workshops/workshop-request';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest, context: WorkshopParams) {
  return instructorAction(
    request,
    context,
    async (workshop) => {
      const body = WorkshopMessageSchema.parse(
        await request.json().catch(() => {
          throw new HttpError(400, 'the body must be JSON: {"text": "..."}');
        }),
      );
      return { message: await postMessage(workshop, body.text) };
    },
    201,
  );
}
