// One place that turns failures into HTTP answers. A learner's or client's mistake gets a 4xx with a
// clear reason; anything else is a platform fault: logged with its ids, answered "internal error".
import { NextResponse } from 'next/server';
import { ZodError } from 'zod';
import { log } from '../log';
import { HttpError, isHttpError, isRetryLater, RetryLaterError } from './http-error';

export { HttpError, RetryLaterError };

/** The JSON answer for an error thrown by a route. */
export function errorResponse(error: unknown, context: Record<string, unknown> = {}): NextResponse {
  if (isHttpError(error)) {
    const headers = isRetryLater(error) ? { 'retry-after': String(error.retryAfterSeconds) } : undefined;
    return NextResponse.json({ error: error.message, details: error.details }, { status: error.status, headers });
  }
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return NextResponse.json(
      { error: `invalid request: ${details.map((d) => `${d.path || '(body)'}: ${d.message}`).join('; ')}`, details },
      { status: 400 },
    );
  }
  log.error('Request failed on a platform fault', {
    ...context,
    error: error instanceof Error ? error.stack : String(error),
  });
  return NextResponse.json({ error: 'internal error' }, { status: 500 });
}
