// PostgreSQL's advisory locks, as the cells of one lab use them to take turns: a lock is named by a
// kind (the first of its two keys) and a name (a learner's bucket and key, a workshop id) hashed to the
// second key. The lock is the transaction's: it goes at COMMIT or ROLLBACK, and with the connection when
// a cell dies, so a dead cell never holds up the others.
import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * The first key of the lab's two-key advisory locks, by what they guard. The migrations take a one-key
 * lock (scripts/database.mjs), which PostgreSQL keeps in another key space: they cannot meet these.
 */
export const AdvisoryLockKind = {
  rateLimit: 7_202_612,
  workshopJoin: 7_202_613,
} as const;

/** What an advisory lock guards. */
export type AdvisoryLockKind = (typeof AdvisoryLockKind)[keyof typeof AdvisoryLockKind];

/** The lock was not granted within the wait allowed: another holder kept it. */
export class AdvisoryLockTimeout extends Error {
  constructor(readonly waitMs: number) {
    super(`an advisory lock was not granted within ${waitMs} ms`);
  }
}

/** PostgreSQL's code for "lock_not_available", which lock_timeout raises. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The second key of the lock of `name`: 32 bits of its SHA-256. Two names that share it only take turns
 * they did not need to; what the lock guards is still told apart by the name itself.
 */
export function advisoryLockKey(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

/**
 * A connection of `pool` with a transaction begun. An idle connection the database ended (a restart, a
 * cell's connections cut) may be lent before the pool has heard of it: it fails at BEGIN, before any
 * work, and another is taken (seen once in a fresh-clone run of the join test that cuts a cell off).
 */
async function begun(pool: pg.Pool): Promise<pg.PoolClient> {
  for (let tries = 1; ; tries++) {
    const client = await pool.connect();
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      await client.query('BEGIN');
      return client;
    } catch (error) {
      client.release(true);
      if (tries >= 3) throw error;
    } finally {
      client.off('error', ignore);
    }
  }
}

/**
 * Runs `task` in a transaction on a connection of `pool` that holds the advisory lock of `kind` and
 * `name`: other holders of that lock wait until the transaction ends. With `waitMs`, gives up waiting
 * after that long (AdvisoryLockTimeout).
 */
export async function withAdvisoryLock<T>(
  pool: pg.Pool,
  kind: AdvisoryLockKind,
  name: string,
  task: (client: pg.PoolClient) => Promise<T>,
  options: { waitMs?: number } = {},
): Promise<T> {
  const client = await begun(pool);
  let broken = false;
  // A connection cut while lent out (its lock lost with it) fails its next query; unheard, its error
  // event would end the process. Such a connection is closed, not given back to the pool.
  const onError = () => (broken = true);
  client.on('error', onError);
  try {
    if (options.waitMs) await client.query("SELECT set_config('lock_timeout', $1, true)", [`${options.waitMs}ms`]);
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [kind, advisoryLockKey(name)]).catch((error) => {
      throw (error as { code?: string }).code === LOCK_NOT_AVAILABLE ? new AdvisoryLockTimeout(options.waitMs!) : error;
    });
    const result = await task(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
