// GET /api/terminal/events: what the learner runs from the terminal, as Server-Sent Events in the same
// shape as a run's timeline. Event ids are "<timeline>:<seq>", so a page that reconnects (Last-Event-ID)
// resumes where it was, or starts over if the timeline was replaced by a fresh one meanwhile.
import type { NextRequest } from 'next/server';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { learnerOf } from '@/lib/learners/learner-request';
import { terminalWatches } from '@/lib/proxy/terminal-watches';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const learnerId = learnerOf(request);
  if (!learnerId) return errorResponse(new HttpError(401, 'no learner: open the lab first'));
  const watch = await terminalWatches().for(learnerId).catch(() => null);
  if (!watch) return errorResponse(new HttpError(503, 'the lab cannot follow the Docker engine right now'));
  const timeline = watch.timeline;
  const [generation, seq] = (request.headers.get('last-event-id') ?? '').split(':');
  const from = generation === String(timeline.startedAt) && Number.isInteger(Number(seq)) ? Number(seq) + 1 : 0;
  const gone = new AbortController();
  request.signal.addEventListener('abort', () => gone.abort());
  // A replaced timeline ends this stream; EventSource reconnects and gets the new one from the start.
  const unsubscribe = watch.onReplaced(() => gone.abort());
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!gone.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      send(`retry: 1000\n\nevent: reset\ndata: ${JSON.stringify({ timeline: timeline.startedAt, from })}\n\n`);
      for await (const event of timeline.follow(from, gone.signal)) {
        send(`id: ${timeline.startedAt}:${event.seq}\nevent: timeline\ndata: ${JSON.stringify({ ...event, sentAt: Date.now() })}\n\n`);
      }
      unsubscribe();
      controller.close();
    },
    cancel() {
      unsubscribe();
      gone.abort();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
}
