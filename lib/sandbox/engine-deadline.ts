// A deadline on each short call to the Docker engine. An engine that accepts connections but does not
// answer (overloaded, stuck on a dying container) would otherwise hold a run's slot, a health check or
// a draft save forever; past the deadline the call fails with a message that says what was waited for.
// Streams (events, logs, builds) are bounded only until they open: their lifetime has its own deadlines.
import { config } from '../config';

/** The engine did not answer in time. */
export class EngineTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(
      `the Docker engine did not answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`} (${what})`,
    );
  }
}

/** LAB_ENGINE_TIMEOUT_MS, 30 s by default. */
export function engineTimeoutMs(): number {
  return config().LAB_ENGINE_TIMEOUT_MS;
}

/**
 * Runs `call` and fails with EngineTimeoutError if it has not settled within `ms`. The request itself
 * is left to end when the engine answers (or its connection closes): what matters is that nobody waits.
 */
export async function withEngineDeadline<T>(
  what: string,
  call: () => Promise<T>,
  ms: number = engineTimeoutMs(),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([call(), late]);
  } finally {
    clearTimeout(timer);
  }
}
