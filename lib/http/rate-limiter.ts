// A sliding-window rate limit per key (a learner, an address, a workshop). One lab server keeps its
// windows in memory (MemoryRateLimiter); the cells of a lab of several share theirs through PostgreSQL
// (postgres-rate-limiter.ts), or a learner would get each limit once per cell. A refusal says when to
// try again.
import { RetryLaterError } from './http-error';

/** How many actions a key may take within a window. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** Counts actions per key and refuses those past the limit. */
export interface RateLimiter {
  readonly limit: RateLimit;
  /**
   * Records an action of `key` if the limit allows it. Resolves to 0 when it was allowed, else to the
   * milliseconds until the key may act again (nothing is recorded).
   */
  take(key: string): Promise<number>;
}

/** Makes the limiter of one kind of action: `bucket` names it, so that its keys are counted apart. */
export type RateLimiterFactory = (bucket: string, limit: RateLimit) => RateLimiter;

/** The windows of one lab server, in its memory. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly limit: RateLimit) {}

  /** As RateLimiter.take; `now` lets a test set the clock. */
  async take(key: string, now = Date.now()): Promise<number> {
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

/** Makes in-memory limiters (one lab server alone): each instance counts on its own. */
export const memoryRateLimiters: RateLimiterFactory = (_bucket, limit) => new MemoryRateLimiter(limit);

/** Takes an action of `key` from `limiter`, or throws a 429 that says `what` and when to try again. */
export async function takeOrRefuse(limiter: RateLimiter, key: string, what: string): Promise<void> {
  const waitMs = await limiter.take(key);
  if (waitMs > 0) throw new RetryLaterError(429, `${what}: try again in ${Math.ceil(waitMs / 1000)} s`, waitMs);
}
