// The rate limits of a lab of several cells, shared through PostgreSQL, or a learner or an address
// would get each limit once per cell. Each action allowed is a row of "RateLimitHit" (bucket, key, when).
// A take holds the advisory lock of its bucket and key while it counts the key's hits within the window
// and adds one, so that two cells taking at once cannot both take the last. The clock is the
// database's: the cells' own clocks may disagree. The semantics are MemoryRateLimiter's.
import type pg from 'pg';
import { AdvisoryLockKind, withAdvisoryLock } from '../db/advisory-lock';
import { log } from '../log';
import type { RateLimit, RateLimiter } from './rate-limiter';

// The database's time, to the millisecond (what "RateLimitHit"."at" keeps), as UTC like Prisma's dates.
const NOW = "date_trunc('milliseconds', clock_timestamp() AT TIME ZONE 'UTC')";

// $1 bucket, $2 key, $3 window (ms), $4 max. A statement of its own after the lock's: its snapshot sees
// the hits of whoever held the lock before. The wait is as MemoryRateLimiter's: until the oldest hit
// in the window leaves it.
const TAKE = `
  WITH clock AS (SELECT ${NOW} AS now),
  recent AS (
    SELECT count(*)::int AS hits, min(hit.at) AS oldest
    FROM "RateLimitHit" hit, clock
    WHERE hit.bucket = $1 AND hit.key = $2 AND hit.at > clock.now - $3::int * interval '1 millisecond'
  ),
  taken AS (
    INSERT INTO "RateLimitHit" (bucket, key, at)
    SELECT $1, $2, clock.now FROM clock, recent WHERE recent.hits < $4::int
  )
  SELECT CASE WHEN recent.hits < $4::int THEN 0
    ELSE coalesce(round(extract(epoch FROM recent.oldest + $3::int * interval '1 millisecond' - clock.now) * 1000), $3::int)
  END::int AS wait_ms
  FROM clock, recent`;

// Hits that left the window never count again: deleting them needs no lock.
const SWEEP = `DELETE FROM "RateLimitHit" WHERE bucket = $1 AND at <= ${NOW} - $2::int * interval '1 millisecond'`;

/** A limiter whose hits are rows of the lab's PostgreSQL database, counted with every cell's. */
export class PostgresRateLimiter implements RateLimiter {
  /** When this limiter last deleted its bucket's old hits (never yet: its first take does). */
  private sweptAt = 0;

  /** `bucket` names the kind of action (its keys are counted apart from other buckets'), the same on every cell. */
  constructor(
    private readonly pool: pg.Pool,
    readonly bucket: string,
    readonly limit: RateLimit,
  ) {}

  async take(key: string): Promise<number> {
    const { windowMs, max } = this.limit;
    const waitMs = await withAdvisoryLock(
      this.pool,
      AdvisoryLockKind.rateLimit,
      `${this.bucket}\n${key}`,
      async (client) => {
        const result = await client.query<{ wait_ms: number }>(TAKE, [this.bucket, key, windowMs, max]);
        return result.rows[0].wait_ms;
      },
    );
    // Once a window, the bucket's hits that left it go: the table holds about a window's worth.
    if (Date.now() - this.sweptAt >= windowMs) await this.sweep();
    return waitMs;
  }

  private async sweep(): Promise<void> {
    this.sweptAt = Date.now();
    try {
      await this.pool.query(SWEEP, [this.bucket, this.limit.windowMs]);
    } catch (error) {
      // The next window's sweep deletes them; the take itself was counted.
      log.warn('Failed to delete old rate limit hits', { bucket: this.bucket, error: String(error) });
    }
  }
}
