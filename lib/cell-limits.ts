// With LAB_CELL, the cells of one lab share their rate limits and take the joins of a workshop in turn
// through the PostgreSQL database they share (one server alone keeps both in its memory). Two small
// pools of connections, apart, so that joins waiting for another cell's turn never hold up the rate
// limits every request takes.
import pg from 'pg';
import { PostgresRateLimiter } from './http/postgres-rate-limiter';
import type { RateLimiterFactory } from './http/rate-limiter';
import { log } from './log';
import type { JoinQueue } from './workshops/join-queue';
import { PostgresJoinQueue } from './workshops/postgres-join-queue';

/** Connections per pool: a take holds one for a few milliseconds, a join for its few queries. */
const POOL_SIZE = 4;

/** The rate limits and join turns this cell shares with the lab's other cells (lib/services.ts makes it; server.ts closes it). */
export class CellLimits {
  private readonly pools: pg.Pool[];
  private closed = false;
  /** Makes a limiter counted with the other cells' limiters of the same bucket. */
  readonly limiters: RateLimiterFactory;
  /** The joins of each workshop, one at a time across the cells. */
  readonly joinQueue: JoinQueue;

  constructor(url: string, cellId: string) {
    const pool = (purpose: string) => {
      const made = new pg.Pool({
        connectionString: url,
        max: POOL_SIZE,
        application_name: `lab cell ${cellId} ${purpose}`,
        // A database that does not answer fails the request (a platform fault) rather than hang it.
        connectionTimeoutMillis: 10_000,
      });
      // An idle connection that was cut is dropped by the pool; unheard, its error would end the process.
      made.on('error', (error) =>
        log.warn('Lost an idle connection to the database', { purpose, error: error.message }),
      );
      return made;
    };
    const limitsPool = pool('limits');
    const joinsPool = pool('joins');
    this.pools = [limitsPool, joinsPool];
    this.limiters = (bucket, limit) => new PostgresRateLimiter(limitsPool, bucket, limit);
    this.joinQueue = new PostgresJoinQueue(joinsPool);
  }

  /** Closes the connections (shutdown, or a test's end), once the takes and joins in progress have ended. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.pools.map((pool) => pool.end()));
  }
}
