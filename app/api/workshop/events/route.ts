// GET /api/workshop/events: the learner's current workshop as Server-Sent Events. First `workshop`
// with the whole view (as GET /api/workshop), then as they happen: `message` {id, text, createdAt},
// `state` {state} (locked, open, ended...), `reset` {} when the instructor reset this learner's
// sandbox, and `workshop` again when their own progress changed. A page that reconnects gets the whole
// view again, so it misses nothing. 404 for a learner in no workshop.
import type { NextRequest } from 'next/server';
import { currentMembership } from '@/lib/db/workshop-store';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { learnerOf } from '@/lib/learners/learner-request';
import { followLearnerWorkshop } from '@/lib/workshops/learner-feed';

export const dynamic = 'force-dynamic';

/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 25_000;

export async function GET(request: NextRequest) {
  const learnerId = learnerOf(request);
  const current = learnerId ? await currentMembership(learnerId).catch((error: unknown) => error as Error) : null;
  if (current instanceof Error) return errorResponse(current, { learner: learnerId });
  if (!learnerId || !current) return errorResponse(new HttpError(404, 'you are not in a workshop'));
  const gone = new AbortController();
  request.signal.addEventListener('abort', () => gone.abort());
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (!gone.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      const keepalive = setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS);
      gone.signal.addEventListener('abort', () => {
        clearInterval(keepalive);
        try {
          controller.close();
        } catch {
          /* closed already */
        }
      });
      write('retry: 2000\n\n');
      void followLearnerWorkshop(learnerId, current.workshop.id, (item) => write(`event: ${item.event}\ndata: ${JSON.stringify(item.data)}\n\n`), gone.signal);
    },
    cancel() {
      gone.abort();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
}
