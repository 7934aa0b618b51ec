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
