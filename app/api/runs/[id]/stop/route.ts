// POST /api/runs/<id>/stop: the learner stops their run; its container is removed and what was
// observed so far is judged.
import { NextResponse, type NextRequest } from 'next/server';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { learnerOf } from '@/lib/learners/learner-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const learnerId = learnerOf(request);
  // Another learner's run does not exist for them.
  const run = learnerId ? services().runHub.get(id, learnerId) : undefined;
  if (!run) return errorResponse(new HttpError(404, `no run ${id}`));
  run.abort.abort();
  return NextResponse.json({ runId: id, stopping: !run.outcome });
}
