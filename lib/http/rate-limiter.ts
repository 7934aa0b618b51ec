// A sliding-window rate limit per key (a learner, an address, a workshop), in memory: enough for one
// lab server, which is how the lab runs. A refusal says when to try again.
import { RetryLaterError } from './http-error';

/** How many actions a key may take within a window. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** Counts actions per key and refuses those past the limit. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly limit: RateLimit) {}

  /**
   * Records an action of `key` if the limit allows it. Returns 0 when it was allowed, else the
   * milliseconds until the key may act again (nothing is recorded).
   */
  take(key: string, now = Date.now()): number {
    const since = now - this.limit.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= this.limit.max) {
      this.hits.set(key, recent);
      return recent[0] + this.limit.windowMs - now;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.forgetIdle(since);
    return 0;
  }

  private forgetIdle(since: number): void {
    for (const [key, times] of this.hits) if (times.every((at) => at <= since)) this.hits.delete(key);
  }
}

/** Takes an action of `key` from `limiter`, or throws a 429 that says `what` and when to try again. */
export function takeOrRefuse(limiter: RateLimiter, key: string, what: string): void {
  const waitMs = limiter.take(key);
  if (waitMs > 0) throw new RetryLaterError(429, `${what}: try again in ${Math.ceil(waitMs / 1000)} s`, waitMs);
}
