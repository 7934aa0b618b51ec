// Waiting in tests for something to happen: a predicate tried until it holds, under a deadline whose
// message names what was awaited. Tests wait for the thing they need, not for a fixed time (STYLE.md,
// habit 9); this is the one place that polls.
import { setTimeout as sleep } from 'node:timers/promises';

/** How long waitFor tries, what it waits for (named in the timeout's message), and how often. */
export interface WaitForOptions {
  /** How long to keep trying before giving up. */
  timeoutMs: number;
  /** What is awaited, as the message says it: `timed out after 5000 ms waiting for <what>`. */
  what: string;
  /** The pause between two tries (50 ms unless given). */
  intervalMs?: number;
}

/** What a predicate returns while the awaited thing has not happened yet. */
type NotYet = undefined | null | false;

/**
 * Tries `predicate` (awaiting it when it returns a promise) until it returns a truthy value, and resolves
 * to that value; so `0` and `''` count as not yet, and a predicate that waits for an empty list returns
 * something else. A try that throws counts as not yet as well: it is tried again, and the last error is
 * quoted in the timeout's message and kept as its `cause`. Past `timeoutMs`, after a last try, it rejects
 * with `timed out after <timeoutMs> ms waiting for <what>`. A try still running at the deadline is awaited:
 * the predicate's own calls need deadlines of their own.
 */
export async function waitFor<T>(
  predicate: () => T | NotYet | Promise<T | NotYet>,
  options: WaitForOptions,
): Promise<T> {
  const { timeoutMs, what, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let failure: { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (error) {
      failure = { error };
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(intervalMs, left));
  }
  const message = `timed out after ${timeoutMs} ms waiting for ${what}`;
  if (!failure) throw new Error(message);
  const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
  throw new Error(`${message}; the last try threw: ${reason}`, { cause: failure.error });
}
