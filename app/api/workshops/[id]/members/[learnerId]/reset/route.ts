// POST /api/workshops/<id>/members/<learnerId>/reset (instructor's key): stops everything running in
// that member's name (runs, workstation, terminal containers, staged incident); their records stay.
// Answers {reset: true, learnerId} once it is gone; 404 for a learner who is not a member.
import type { NextRequest } from 'next/server';
import { resetMemberSandbox } from '@/lib/workshops/instructor-actions';
import { instructorAction } from '@/lib/workshops/instructor-request';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string; learnerId: string }> };

export async function POST(request: NextRequest, { params }: Params) {
  return instructorAction(request, { params }, async (workshop) => {
    const { learnerId } = await params;
    await resetMemberSandbox(workshop, learnerId);
    return { reset: true, learnerId };
  });
}
