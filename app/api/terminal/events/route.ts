// GET /api/terminal/events: what the learner runs from the terminal, as Server-Sent Events in the same
// shape as a run's timeline. Event ids are "<timeline>:<seq>", so a page that reconnects (Last-Event-ID)
// resumes where it was, or starts over if the timeline was replaced by a fresh one meanwhile.
import type { NextRequest } from 'next/server';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { eventStream } from '@/lib/http/event-stream';
import { learnerOf } from '@/lib/learners/learner-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const learnerId = learnerOf(request);
  if (!learnerId) return errorResponse(new HttpError(401, 'no learner: open the lab first'));
  // Only a learner with a workstation has a watch (its proxy started it); until then the stream ends
  // at once and the page's EventSource asks again a little later.
  const pending = services().terminalWatches.existing(learnerId);
  if (!pending) return eventStream(request, async () => undefined, { retryMs: 2000 });
  const watch = await pending.catch(() => null);
  if (!watch) return errorResponse(new HttpError(503, 'the lab cannot follow the Docker engine right now'));
  const timeline = watch.timeline;
  const [generation, seq] = (request.headers.get('last-event-id') ?? '').split(':');
  const from = generation === String(timeline.startedAt) && Number.isInteger(Number(seq)) ? Number(seq) + 1 : 0;
  return eventStream(
    request,
    async (sink) => {
      // A replaced timeline ends this stream; EventSource reconnects and gets the new one from the start.
      const replaced = new AbortController();
      const unsubscribe = watch.onReplaced(() => replaced.abort());
      try {
        sink.send('reset', { timeline: timeline.startedAt, from });
        for await (const event of timeline.follow(from, AbortSignal.any([sink.signal, replaced.signal]))) {
          sink.send('timeline', { ...event, sentAt: Date.now() }, `${timeline.startedAt}:${event.seq}`);
        }
      } finally {
        unsubscribe();
      }
    },
    { retryMs: 1000 },
  );
}
