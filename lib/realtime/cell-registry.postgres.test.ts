// Two servers under one cell name on a real PostgreSQL database (npm test starts one and passes
// LAB_TEST_POSTGRES_URL): the one that starts later takes the name over, the earlier one is told to stop
// at its next heartbeat, and the runs the earlier one had in flight are marked interrupted at once.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, test } from 'node:test';

const url = process.env.LAB_TEST_POSTGRES_URL;
if (!url) throw new Error('LAB_TEST_POSTGRES_URL is not set: run the tests with npm test, which starts PostgreSQL');
process.env.DATABASE_URL = url;
const { db } = await import('../db/client');
const { CellRegistry } = await import('./cell-registry');

const tag = `${process.pid}-${Date.now()}`;
const name = `cell-${tag}`;
const load = () => ({ slots: 2, active: 0, waiting: 0, workstations: 0 });
const options = { beatMs: 50, silentMs: 20_000 };
after(async () => {
  await db().cell.deleteMany({ where: { name } });
  await db().learner.deleteMany({ where: { id: `learner-${tag}` } });
  await db().$disconnect();
});

test('a server started under a live cell name takes it over; the earlier one stops, its runs interrupted', async () => {
  let displaced = 0;
  const earlier = new CellRegistry(`earlier-${tag}`, name, load, options, () => displaced++);
  await earlier.start();
  await db().learner.create({ data: { id: `learner-${tag}` } });
  await db().attempt.create({
    data: {
      id: `attempt-${tag}`,
      learnerId: `learner-${tag}`,
      exerciseId: 'main-process-exit/pid1',
      files: '[]',
      status: 'running',
      cell: `earlier-${tag}`,
    },
  });
  const later = new CellRegistry(`later-${tag}`, name, load, options, () => assert.fail('the later one stays'));
  await later.start();
  assert.equal((await db().attempt.findUnique({ where: { id: `attempt-${tag}` } }))?.status, 'interrupted');
  while (displaced === 0) await delay(20);
  // Told once, and its heartbeats stop: the registry holds the later server alone under the name.
  await delay(200);
  assert.equal(displaced, 1);
  const holders = (await later.cells()).filter((cell) => cell.name === name).map((cell) => cell.id);
  assert.deepEqual(holders, [`later-${tag}`]);
  await later.stop();
  await earlier.stop();
});
