// GET /api/workshops/<id>/dashboard?key=...: the instructor's live dashboard of the workshop, as
// Server-Sent Events: the whole view now, then again after each member's activity. Only the holder of
// the workshop's instructor key gets it.
import type { NextRequest } from 'next/server';
import { errorResponse } from '@/lib/http/errors';
import { authenticateInstructor, INSTRUCTOR_KEY_HEADER } from '@/lib/workshops/instructor-auth';
import { followDashboard } from '@/lib/workshops/dashboard-data';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let workshop;
  try {
    workshop = await authenticateInstructor(id, request.headers.get(INSTRUCTOR_KEY_HEADER) ?? request.nextUrl.searchParams.get('key'));
  } catch (error) {
    return errorResponse(error, { workshop: id });
  }
  const gone = new AbortController();
  request.signal.addEventListener('abort', () => gone.abort());
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('retry: 1000\n\n'));
      followDashboard(
        workshop,
        (dashboard, trigger) => {
          if (gone.signal.aborted) return;
          controller.enqueue(encoder.encode(`event: dashboard\ndata: ${JSON.stringify({ dashboard, trigger, sentAt: Date.now() })}\n\n`));
        },
        gone.signal,
      );
      gone.signal.addEventListener('abort', () => {
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
    },
    cancel() {
      gone.abort();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
}
