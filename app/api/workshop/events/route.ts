// GET /api/workshop/events: the learner's current workshop as Server-Sent Events. First `workshop`
// with the whole view (as GET /api/workshop), then as they happen: `message` {id, text, createdAt},
// `state` {state} (locked, open, ended...), `reset` {} when the instructor reset this learner's
// sandbox, and `workshop` again when their own progress changed. A page that reconnects gets the whole
// view again, so it misses nothing. 404 for a learner in no workshop.
import type { NextRequest } from 'next/server';
import { currentMembership } from '@/lib/db/workshop-store';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { eventStream, untilAborted } from '@/lib/http/event-stream';
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
  return eventStream(
    request,
    async (sink) => {
      await followLearnerWorkshop(
        learnerId,
        current.workshop.id,
        (item) => sink.send(item.event, item.data),
        sink.signal,
      );
      await untilAborted(sink.signal);
    },
    { retryMs: 2000, keepaliveMs: KEEPALIVE_MS },
  );
}
