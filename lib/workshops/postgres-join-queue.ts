// The joins of a workshop across the cells of a lab: each join holds the workshop's advisory lock in
// PostgreSQL while it counts the members and adds one, so that two cells cannot each admit a learner
// into the last place. A cell that dies mid-join lets go of the lock with its connection.
import type pg from 'pg';
import { AdvisoryLockKind, AdvisoryLockTimeout, withAdvisoryLock } from '../db/advisory-lock';
import { RetryLaterError } from '../http/http-error';
import { MemoryJoinQueue, type JoinQueue } from './join-queue';

/**
 * How long a join waits for another cell's join of the same workshop. A join takes a few queries; one
 * held this long is stuck, and the learner is better told to try again than kept waiting.
 */
const LOCK_WAIT_MS = 20_000;

/** The joins of each workshop, one at a time across every cell of the lab. */
export class PostgresJoinQueue implements JoinQueue {
  // This cell's joins of one workshop queue in its memory first, so that it holds one connection per
  // workshop whose learners are joining, not one per learner.
  private readonly local = new MemoryJoinQueue();

  /** `pool` is this cell's own for joins: a join holds a connection while it waits for its turn. */
  constructor(private readonly pool: pg.Pool) {}

  run<T>(workshopId: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(workshopId, () =>
      withAdvisoryLock(this.pool, AdvisoryLockKind.workshopJoin, workshopId, () => task(), {
        waitMs: LOCK_WAIT_MS,
      }).catch((error: unknown) => {
        if (!(error instanceof AdvisoryLockTimeout)) throw error;
        throw new RetryLaterError(503, 'many learners are joining this workshop: try again in a few seconds', 5_000);
      }),
    );
  }
}
