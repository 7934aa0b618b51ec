// GET /api/runs/<id>/events: the run's timeline as Server-Sent Events, then its result. A page that
// reconnects sends Last-Event-ID (EventSource does it by itself) and gets the events after that one:
// nothing twice, nothing lost.
import type { NextRequest } from 'next/server';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { eventStream } from '@/lib/http/event-stream';
import { learnerOf } from '@/lib/learners/learner-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const learnerId = learnerOf(request);
  // Another learner's run does not exist for them.
  const run = learnerId ? services().runHub.get(id, learnerId) : undefined;
  if (!run) return errorResponse(new HttpError(404, `no run ${id}`));
  const lastSeen = Number(request.headers.get('last-event-id') ?? request.nextUrl.searchParams.get('after') ?? -1);
  const from = Number.isInteger(lastSeen) ? lastSeen + 1 : 0;
  return eventStream(
    request,
    async (sink) => {
      for await (const event of run.timeline.follow(from, sink.signal)) {
        // sentAt (epoch ms) lets a page, or the benchmark, measure how long an event takes to reach the screen.
        sink.send('timeline', { ...event, sentAt: Date.now() }, String(event.seq));
      }
      if (sink.signal.aborted) return;
      const outcome = await run.done.catch(() => undefined);
      sink.send('result', {
        status: outcome?.status ?? 'error',
        checks: outcome?.checks ?? [],
        mistakes: outcome?.mistakes ?? [],
        predictions: run.predictions ?? [],
      });
    },
    { retryMs: 1000 },
  );
}
