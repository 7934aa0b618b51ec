// Joins of a workshop across two cells on one real PostgreSQL database (npm test starts one and passes
// LAB_TEST_POSTGRES_URL): learners racing through both cells for the last places, exactly as many join
// as there are places; while one cell holds a workshop's turn the other's join of it waits (and of
// another workshop does not); a cell that dies holding the turn lets the other go on.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { CellLimits } from '../cell-limits';

const url = process.env.LAB_TEST_POSTGRES_URL;
if (!url) throw new Error('LAB_TEST_POSTGRES_URL is not set: run the tests with npm test, which starts PostgreSQL');
// The workshop store reads DATABASE_URL once, at its first query.
process.env.DATABASE_URL = url;

const tag = `${process.pid}-${Date.now()}`;
const cellA = new CellLimits(url, `a-${tag}`);
const cellB = new CellLimits(url, `b-${tag}`);
const admin = new pg.Client({ connectionString: url });
let store: typeof import('../db/workshop-store');
let join: typeof import('./join-workshop');
let codes: typeof import('./join-code');

before(async () => {
  // @ts-expect-error plain JavaScript module of the setup
  const { migrate } = await import('../../scripts/database.mjs');
  await migrate({ DATABASE_URL: url });
  await admin.connect();
  store = await import('../db/workshop-store');
  join = await import('./join-workshop');
  codes = await import('./join-code');
});
after(async () => {
  await Promise.all([cellA.close(), cellB.close(), admin.end()]);
  // The store's connections too, or they would keep the test's process alive until they idle out.
  await (await import('../db/client')).db().$disconnect();
});

// Ids of this run: the test database outlives it.
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;

/** Resolves once a join connection of `cell` waits for an advisory lock (the test's timeout bounds it). */
async function untilWaiting(cell: 'a' | 'b'): Promise<void> {
  for (;;) {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE application_name = $1 AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
      [`lab cell ${cell}-${tag} joins`],
    );
    if (rows[0].n > 0) return;
    await delay(20);
  }
}

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

test('twenty learners racing through two cells for five places: exactly five join, in each of three rooms', async () => {
  // Three rooms at once: without the shared turn, about half the rooms of such a race end with six.
  const rooms = await Promise.all(
    [1, 2, 3].map(() =>
      store.insertWorkshop({
        id: id('w'),
        title: 'Room',
        joinCode: codes.newJoinCode(),
        instructorSecretHash: 'ab'.repeat(32),
        exerciseIds: ['a/one'],
        capacity: 5,
      }),
    ),
  );
  const cells = [cellA, cellB];
  const results = await Promise.all(
    rooms.map((room) =>
      Promise.allSettled(
        Array.from({ length: 20 }, (_, index) =>
          cells[index % 2].joinQueue.run(room.id, () => join.admitMember(room, id('l'), `L${index}`)),
        ),
      ),
    ),
  );
  for (const [index, room] of rooms.entries()) {
    assert.equal(results[index].filter((result) => result.status === 'fulfilled').length, 5);
    const refusals = results[index].flatMap((result) =>
      result.status === 'rejected' ? [(result.reason as { details?: { reason?: string } }).details?.reason] : [],
    );
    assert.deepEqual(refusals, Array(15).fill('full'));
    assert.equal(await store.memberCount(room.id), 5);
  }
});

test("while one cell holds a workshop's turn, the other's join of it waits, and of another workshop does not", async () => {
  const [held, other] = [id('w'), id('w')];
  const order: string[] = [];
  const onA = gate();
  const aStarted = gate();
  const aDone = cellA.joinQueue.run(held, async () => {
    aStarted.open();
    await onA.opened;
    order.push('a');
  });
  await aStarted.opened;
  const bDone = cellB.joinQueue.run(held, async () => void order.push('b'));
  await untilWaiting('b');
  await cellB.joinQueue.run(other, async () => void order.push('b other'));
  assert.deepEqual(order, ['b other'], "B's join of the held workshop has not begun");
  onA.open();
  await Promise.all([aDone, bDone]);
  assert.deepEqual(order, ['b other', 'a', 'b']);
});

test('a cell that dies holding the turn lets the other cell go on', async () => {
  const workshop = id('w');
  const onA = gate();
  const aStarted = gate();
  const aDone = cellA.joinQueue.run(workshop, async () => {
    aStarted.open();
    await onA.opened;
  });
  await aStarted.opened;
  const bDone = cellB.joinQueue.run(workshop, async () => 'b joined');
  await untilWaiting('b');
  // A's connections end as they would with its process.
  const cut = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
    `lab cell a-${tag} joins`,
  ]);
  assert.ok(cut.rowCount! >= 1, "cell A's join connection was found and cut");
  assert.equal(await bDone, 'b joined', 'B took the turn while A still thought it held it');
  onA.open();
  await assert.rejects(aDone, "A's join fails: its turn was lost with its connection");
  assert.equal(
    await cellA.joinQueue.run(workshop, async () => 'a again'),
    'a again',
    'A goes on with a new connection',
  );
});
