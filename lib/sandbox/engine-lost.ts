// The Docker engine went away under a run: dockerd restarted or stopped, so its connection broke or the
// run's event stream ended. Nothing the run saw from then on can be judged, and the learner is told so
// in words, not with the socket's error code.

export const ENGINE_LOST_MESSAGE =
  "The lab's Docker engine restarted or stopped during your run, so nothing was judged. Run again.";

/** The answer to Run while the engine does not answer its pings: nothing was started or counted. */
export const ENGINE_AWAY_MESSAGE =
  "The lab's Docker engine is restarting, so your run was not started (your files are saved). Try again in a few seconds.";

export class EngineLostError extends Error {
  constructor(readonly detail: string) {
    super(ENGINE_LOST_MESSAGE);
  }
}

/** Errors of a connection to the engine that broke or could not be made (not an answer of the engine). */
const BROKEN = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED']);
const REFUSED = new Set(['ECONNREFUSED', 'ENOENT']);
/**
 * The one answer of the engine that is a loss too: a 500 with gRPC's words for its own connection to
 * containerd closing, which dockerd gives while it stops (SIGTERM, a `systemctl restart docker`) or
 * before it has reconnected. Seen by the soak (scripts/soak.ts) mid-run; shown raw to learners before.
 */
const CONTAINERD_GOING = /transport is closing|the client connection is closing/;

/** True when `error` says the engine's socket is gone or was cut, rather than the engine refusing a request. */
export function isEngineConnectionError(error: unknown): boolean {
  if (error instanceof EngineLostError) return true;
  const { code, syscall, message, statusCode } = (error ?? {}) as {
    code?: string;
    syscall?: string;
    message?: string;
    statusCode?: number;
  };
  if (code && BROKEN.has(code)) return true;
  if (code && REFUSED.has(code)) return syscall === 'connect';
  if (statusCode === 500 && message && CONTAINERD_GOING.test(message)) return true;
  return message === 'socket hang up';
}
