// Reading and setting the learner cookie in route handlers.
import type { NextRequest, NextResponse } from 'next/server';
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
  response.cookies.set(LEARNER_COOKIE, signLearner(learnerId), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 365 * 24 * 3600,
  });
  return response;
}
