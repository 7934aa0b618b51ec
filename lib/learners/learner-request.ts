// Reading and setting the learner cookie in route handlers.
import type { NextRequest, NextResponse } from 'next/server';
import type { HubRun } from '../realtime/run-hub';
import { runHub } from '../realtime/run-hub';
import { LEARNER_COOKIE, newLearnerId, signLearner, verifyLearner } from './identity';

/** The learner a request comes from, or null. */
export function learnerOf(request: NextRequest): string | null {
  return verifyLearner(request.cookies.get(LEARNER_COOKIE)?.value);
}

/** The request's learner, or a new one (the caller sets the cookie with `rememberLearner`). */
export function learnerOrNew(request: NextRequest): { learnerId: string; isNew: boolean } {
  const known = learnerOf(request);
  return known ? { learnerId: known, isNew: false } : { learnerId: newLearnerId(), isNew: true };
}

/** Sets the learner cookie: signed, HTTP only, a year long. */
export function rememberLearner(response: NextResponse, learnerId: string): NextResponse {
  response.cookies.set(LEARNER_COOKIE, signLearner(learnerId), { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 });
  return response;
}

/** The run `id` if it belongs to the request's learner; another learner's run does not exist for them. */
export function ownRun(request: NextRequest, id: string): HubRun | undefined {
  const learnerId = learnerOf(request);
  return learnerId ? runHub().get(id, learnerId) : undefined;
}
