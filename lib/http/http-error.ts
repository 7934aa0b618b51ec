// A failure the client caused, kept apart from lib/http/errors.ts so that modules the server loads
// before Next.js starts (run hub, incidents) can throw it without importing next/server.

/** A failure the client caused, with the status and message to send. */
export class HttpError extends Error {
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
