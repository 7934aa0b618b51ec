// GET /api/workshops/<id>/dashboard?key=...: the instructor's live dashboard of the workshop, as
// Server-Sent Events: the whole view now, then again after each member's activity. Only the holder of
// the workshop's instructor key gets it.
import type { NextRequest } from 'next/server';
import { errorResponse } from '@/lib/http/errors';
import { eventStream, untilAborted } from '@/lib/http/event-stream';
import { authenticateInstructor, INSTRUCTOR_KEY_HEADER } from '@/lib/workshops/instructor-auth';
import { followDashboard } from '@/lib/workshops/dashboard-data';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let workshop;
  try {
    workshop = await authenticateInstructor(
      id,
      request.headers.get(INSTRUCTOR_KEY_HEADER) ?? request.nextUrl.searchParams.get('key'),
    );
  } catch (error) {
    return errorResponse(error, { workshop: id });
  }
  return eventStream(
    request,
    async (sink) => {
      followDashboard(
        workshop,
        (dashboard, trigger) => sink.send('dashboard', { dashboard, trigger, sentAt: Date.now() }),
        sink.signal,
      );
      await untilAborted(sink.signal);
    },
    { retryMs: 1000 },
  );
}
