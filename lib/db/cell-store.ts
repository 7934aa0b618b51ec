// The registry of a lab's cells (LAB_CELL): each cell's heartbeat with its load, the cells alive, and
// the runs of a cell gone silent, marked interrupted by whichever cell notices first.
import { db, usesPostgres } from './client';

/** A cell as its last heartbeat described it. */
export interface CellRecord {
  id: string;
  name: string;
  startedAt: Date;
  heartbeatAt: Date;
  slots: number;
  active: number;
  waiting: number;
  workstations: number;
  /** Learners the placement sent here since the cell started. */
  placed: number;
}

export type CellLoad = Pick<CellRecord, 'slots' | 'active' | 'waiting' | 'workstations'>;

/**
 * The time by the database's clock: cells on several machines stamp and compare heartbeats by one
 * clock, so a machine whose clock is off neither looks dead nor keeps a dead cell alive. (SQLite is
 * one machine's file: its clock is this one.)
 */
async function now(): Promise<Date> {
  if (!usesPostgres()) return new Date();
  const [row] = await db().$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return new Date(row.now);
}

/** The oldest heartbeat of a cell still alive, by the database's clock. */
async function aliveSince(aliveMs: number): Promise<Date> {
  return new Date((await now()).getTime() - aliveMs);
}

/** How full a cell is for the next learner: learners placed on it per run slot, the next one counted. */
function fullness(cell: Pick<CellRecord, 'placed' | 'slots'>): number {
  return (cell.placed + 1) / Math.max(cell.slots, 1);
}

/**
 * Places a learner on the live cell that is least full (learners placed per run slot), but none named in
 * `exclude` (cells the balancer could not reach); counts the learner there and returns the cell's name,
 * or undefined when no such cell is alive. Placements are taken one at a time across cells (an advisory
 * lock on PostgreSQL): learners who arrive together are spread, not all sent to the same cell.
 */
export async function placeLearner(aliveMs: number, exclude: string[] = []): Promise<string | undefined> {
  return db().$transaction(async (tx) => {
    if (usesPostgres()) await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('lab:cell-placement'))::text`;
    const since = await aliveSince(aliveMs);
    const cells = await tx.cell.findMany({ where: { heartbeatAt: { gte: since }, name: { notIn: exclude } } });
    const best = cells.sort((a, b) => fullness(a) - fullness(b) || a.name.localeCompare(b.name))[0];
    if (!best) return undefined;
    await tx.cell.update({ where: { id: best.id }, data: { placed: { increment: 1 } } });
    return best.name;
  });
}

/** Records that the cell is alive, with its load now. */
export async function beat(id: string, name: string, load: CellLoad): Promise<void> {
  const at = await now();
  await db().cell.upsert({
    where: { id },
    create: { id, name, ...load, startedAt: at, heartbeatAt: at },
    update: { ...load, heartbeatAt: at },
  });
}

/**
 * The heartbeat of a cell that has joined: false when its record is gone, taken over by another server
 * that started under its name (see takeOverName).
 */
export async function beatAgain(id: string, load: CellLoad): Promise<boolean> {
  const at = await now();
  const { count } = await db().cell.updateMany({ where: { id }, data: { ...load, heartbeatAt: at } });
  return count === 1;
}

/**
 * A server starting as cell `name` takes the name over from the servers that held it before: the same
 * cell restarted after a crash (its runs will never finish: marked interrupted now, not after the
 * silence), or one still running by mistake, which stops at its next heartbeat. Returns their ids.
 */
export async function takeOverName(id: string, name: string): Promise<string[]> {
  const earlier = await db().cell.findMany({ where: { name, id: { not: id } }, select: { id: true } });
  const ids = earlier.map((cell) => cell.id);
  if (ids.length === 0) return [];
  await db().attempt.updateMany({
    where: { status: 'running', cell: { in: ids } },
    data: { status: 'interrupted', finishedAt: new Date() },
  });
  await db().cell.deleteMany({ where: { id: { in: ids } } });
  return ids;
}

/** The cells whose last heartbeat is younger than `aliveMs`, by name. */
export async function liveCells(aliveMs: number): Promise<CellRecord[]> {
  return db().cell.findMany({
    where: { heartbeatAt: { gte: await aliveSince(aliveMs) } },
    orderBy: [{ name: 'asc' }, { startedAt: 'asc' }],
  });
}

/**
 * The runs of cells silent for `silentMs` or more are marked interrupted (they will never finish), and
 * cells silent for a day are forgotten. Returns the attempts marked.
 */
export async function interruptRunsOfSilentCells(silentMs: number): Promise<number> {
  const at = (await now()).getTime();
  const silent = await db().cell.findMany({
    where: { heartbeatAt: { lt: new Date(at - silentMs) } },
    select: { id: true },
  });
  if (silent.length === 0) return 0;
  const marked = await db().attempt.updateMany({
    where: { status: 'running', cell: { in: silent.map((cell) => cell.id) } },
    data: { status: 'interrupted', finishedAt: new Date() },
  });
  await db().cell.deleteMany({ where: { heartbeatAt: { lt: new Date(at - 24 * 60 * 60_000) } } });
  return marked.count;
}

/** A cell that stops cleanly leaves the registry at once. */
export async function leave(id: string): Promise<void> {
  await db().cell.deleteMany({ where: { id } });
}
