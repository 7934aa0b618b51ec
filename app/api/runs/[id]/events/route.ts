// GET /api/runs/<id>/events: the run's timeline as Server-Sent Events, then its result. A page that
// reconnects sends Last-Event-ID (EventSource does it by itself) and gets the events after that one:
// nothing twice, nothing lost. A run this server does not hold (its cell stopped, or the learner was
// placed on another cell since) is answered from its record: its result, or that it was never judged.
import type { NextRequest } from 'next/server';
import { attemptOf } from '@/lib/db/learner-store';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { eventStream } from '@/lib/http/event-stream';
import { learnerOf } from '@/lib/learners/learner-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

const RUN_LOST_MESSAGE =
  'The lab server that ran this run stopped or cannot be reached, so nothing was judged. Run again.';

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const learnerId = learnerOf(request);
  // Another learner's run does not exist for them.
  const run = learnerId ? services().runHub.get(id, learnerId) : undefined;
  const lastSeen = Number(request.headers.get('last-event-id') ?? request.nextUrl.searchParams.get('after') ?? -1);
  const from = Number.isInteger(lastSeen) ? lastSeen + 1 : 0;
  if (!run) {
    const attempt = learnerId ? await attemptOf(learnerId, id) : null;
    if (!attempt) return errorResponse(new HttpError(404, `no run ${id}`));
    return eventStream(
      request,
      async (sink) => {
        const ended = attempt.status !== 'running' && attempt.status !== 'interrupted';
        if (!ended) {
          const t = Math.max(0, Date.now() - attempt.startedAt.getTime());
          const lost = { seq: from, t, type: 'platform-error', message: RUN_LOST_MESSAGE, forLearner: true };
          sink.send('timeline', lost, String(from));
        }
        sink.send('result', {
          status: ended ? attempt.status : 'error',
          checks: ended ? (attempt.checks ?? []) : [],
          mistakes: [],
          predictions: attempt.predictions ?? [],
        });
      },
      { retryMs: 1000 },
    );
  }
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
