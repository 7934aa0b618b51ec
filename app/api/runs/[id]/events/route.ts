// GET /api/runs/<id>/events: the run's timeline as Server-Sent Events, then its result. A page that
// reconnects sends Last-Event-ID (EventSource does it by itself) and gets the events after that one:
// nothing twice, nothing lost.
import type { NextRequest } from 'next/server';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { ownRun } from '@/lib/learners/learner-request';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const run = ownRun(request, id);
  if (!run) return errorResponse(new HttpError(404, `no run ${id}`));
  const lastSeen = Number(request.headers.get('last-event-id') ?? request.nextUrl.searchParams.get('after') ?? -1);
  const from = Number.isInteger(lastSeen) ? lastSeen + 1 : 0;
  const gone = new AbortController();
  request.signal.addEventListener('abort', () => gone.abort());
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!gone.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      send('retry: 1000\n\n');
      for await (const event of run.timeline.follow(from, gone.signal)) {
        // sentAt (epoch ms) lets a page, or the benchmark, measure how long an event takes to reach the screen.
        send(`id: ${event.seq}\nevent: timeline\ndata: ${JSON.stringify({ ...event, sentAt: Date.now() })}\n\n`);
      }
      if (!gone.signal.aborted) {
        const outcome = await run.done.catch(() => undefined);
        send(`event: result\ndata: ${JSON.stringify({ status: outcome?.status ?? 'error', checks: outcome?.checks ?? [] })}\n\n`);
      }
      controller.close();
    },
    cancel() {
      gone.abort();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
}
