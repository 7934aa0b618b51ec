// Two cells on one real PostgreSQL database (npm test starts one and passes LAB_TEST_POSTGRES_URL): what
// a learner does on one reaches the other's pages once, and its own pages once (not twice); a workshop's
// events likewise; a relay whose connection is cut connects again and goes on; an oversized payload is
// refused without harm.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, test } from 'node:test';
import pg from 'pg';
import type { WorkshopEvent } from '../workshops/workshop-events';
import { WorkshopEvents } from '../workshops/workshop-events';
import { ActivityBus, type LearnerActivity } from './activity';
import { CellBus } from './cell-bus';

const url = process.env.LAB_TEST_POSTGRES_URL;
if (!url) throw new Error('LAB_TEST_POSTGRES_URL is not set: run the tests with npm test, which starts PostgreSQL');

const tag = `${process.pid}-${Date.now()}`;
const cellA = new CellBus(url, `a-${tag}`);
const cellB = new CellBus(url, `b-${tag}`);
after(() => Promise.all([cellA.close(), cellB.close()]));

/** Resolves once `seen` has `count` items (the relay is asynchronous); the test's own timeout bounds it. */
async function until<T>(seen: T[], count: number): Promise<T[]> {
  while (seen.length < count) await delay(20);
  return seen;
}

test('activity on one cell reaches the other once, and its own listeners once', async () => {
  const onA = new ActivityBus(cellA);
  const onB = new ActivityBus(cellB);
  const seenA: LearnerActivity[] = [];
  const seenB: LearnerActivity[] = [];
  onA.subscribe((activity) => seenA.push(activity));
  onB.subscribe((activity) => seenB.push(activity));
  await cellB.connect();
  // Said on A before A's connection is made: sent once it is.
  onA.emit({ learnerId: 'early', kind: 'join' });
  await cellA.connect();
  onA.emit({ learnerId: 'ada', kind: 'run-start', exerciseId: 'main-process-exit/pid1' });
  onB.emit({ learnerId: 'bob', kind: 'draft', exerciseId: 'main-process-exit/pid1' });
  await until(seenB, 3);
  await until(seenA, 3);
  await delay(200); // anything that would arrive twice has arrived by now
  assert.deepEqual(seenA.map((activity) => activity.learnerId).sort(), ['ada', 'bob', 'early']);
  assert.deepEqual(seenB.map((activity) => activity.learnerId).sort(), ['ada', 'bob', 'early']);
  assert.equal(seenB.find((activity) => activity.learnerId === 'ada')?.exerciseId, 'main-process-exit/pid1');
});

test("a workshop's events reach the other cell's pages of that workshop only", async () => {
  const eventsA = new WorkshopEvents(cellA);
  const eventsB = new WorkshopEvents(cellB);
  const heard: [string, WorkshopEvent][] = [];
  eventsA.subscribe('w1', (event) => heard.push(['w1', event]));
  eventsA.subscribe('w2', (event) => heard.push(['w2', event]));
  const message: WorkshopEvent = {
    type: 'message',
    message: { id: 'm1', text: 'Run the pid1 exercise now', createdAt: '2026-12-01T10:00:00.000Z' },
  };
  eventsB.emit('w1', message);
  eventsB.emit('w1', { type: 'solutions', held: false });
  await until(heard, 2);
  await delay(200);
  assert.deepEqual(heard, [
    ['w1', message],
    ['w1', { type: 'solutions', held: false }],
  ]);
});

test('a relay whose connection is cut connects again, tells its pages to read again, and goes on', async () => {
  const onA = new ActivityBus(cellA);
  const onB = new ActivityBus(cellB);
  const seen: string[] = [];
  onB.subscribe((activity) => seen.push(activity.learnerId));
  const pageOnB: WorkshopEvent[] = [];
  new WorkshopEvents(cellB).subscribe('w9', (event) => pageOnB.push(event));
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const cut = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [`lab cell ${cellB.cellId}`],
    );
    assert.equal(cut.rowCount, 1, "cell B's connection was found and cut");
    // Until B listens again, what A says is lost to B (the rows stay the truth): say it until B hears.
    while (!seen.includes('after-cut')) {
      onA.emit({ learnerId: 'after-cut', kind: 'run-end' });
      await delay(250);
    }
    const listening = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [
      `lab cell ${cellB.cellId}`,
    ]);
    assert.equal(listening.rows[0].n, 1, 'one connection again, not two');
    assert.deepEqual(pageOnB, [{ type: 'resync' }], "the workshop's pages on B read the workshop again");
  } finally {
    await admin.end();
  }
});

test('a payload past what PostgreSQL takes is not sent, and the relay goes on', async () => {
  const onA = new ActivityBus(cellA);
  const onB = new ActivityBus(cellB);
  const seen: string[] = [];
  onB.subscribe((activity) => seen.push(activity.learnerId));
  onA.emit({ learnerId: 'x'.repeat(10_000), kind: 'draft' });
  onA.emit({ learnerId: 'small', kind: 'draft' });
  await until(seen, 1);
  assert.deepEqual(seen, ['small']);
});
