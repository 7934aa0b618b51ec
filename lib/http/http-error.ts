// A failure the client caused, kept apart from lib/http/errors.ts so that modules the server loads
// before Next.js starts (run hub, incidents) can throw it without importing next/server.

/**
 * Marks an HttpError from any copy of this module: server.ts and Next.js's route bundles load their
 * own copies, and the shared services (created by whichever loads first) throw from theirs, so a
 * route's `instanceof` would miss them.
 */
const HTTP_ERROR = Symbol.for('docker-lifecycle-lab.http-error');

/** A failure the client caused, with the status and message to send. */
export class HttpError extends Error {
  readonly [HTTP_ERROR] = true;

  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A refusal that passes with time (a rate limit, a full queue): the answer says when to try again. */
export class RetryLaterError extends HttpError {
  constructor(
    status: 429 | 503,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(status, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
  }

  /** The Retry-After header's value: whole seconds, at least 1. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

/** True for an HttpError (or a subclass) thrown by any copy of this module. */
export function isHttpError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && (error as { [HTTP_ERROR]?: boolean })[HTTP_ERROR] === true;
}

/** True for a RetryLaterError thrown by any copy of this module. */
export function isRetryLater(error: unknown): error is RetryLaterError {
  return isHttpError(error) && typeof (error as Partial<RetryLaterError>).retryAfterMs === 'number';
}
