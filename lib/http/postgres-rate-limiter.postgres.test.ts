// Rate limits shared by two cells on one real PostgreSQL database (npm test starts one and passes
// LAB_TEST_POSTGRES_URL): one limit across both, taken at once from both; the window slides (hits are
// aged in the database, not waited for); keys and buckets are counted apart; old hits are deleted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { CellLimits } from '../cell-limits';
import { isRetryLater } from './http-error';
import { takeOrRefuse } from './rate-limiter';

const url = process.env.LAB_TEST_POSTGRES_URL;
if (!url) throw new Error('LAB_TEST_POSTGRES_URL is not set: run the tests with npm test, which starts PostgreSQL');

// Buckets of this run: the test database outlives it.
const tag = `${process.pid}-${Date.now()}`;
const bucket = (name: string) => `${name}-${tag}`;
const cellA = new CellLimits(url, `a-${tag}`);
const cellB = new CellLimits(url, `b-${tag}`);
const admin = new pg.Client({ connectionString: url });
const NOW = "date_trunc('milliseconds', clock_timestamp() AT TIME ZONE 'UTC')";

before(async () => {
  // @ts-expect-error plain JavaScript module of the setup
  const { migrate } = await import('../../scripts/database.mjs');
  await migrate({ DATABASE_URL: url });
  await admin.connect();
});
after(async () => {
  await admin.query('DELETE FROM "RateLimitHit" WHERE bucket LIKE $1', [`%-${tag}`]);
  await Promise.all([cellA.close(), cellB.close(), admin.end()]);
});

/** The ids of the key's hits in the bucket, oldest first. */
async function hitsOf(bucketName: string, key: string): Promise<string[]> {
  const { rows } = await admin.query<{ id: string }>(
    'SELECT id FROM "RateLimitHit" WHERE bucket = $1 AND key = $2 ORDER BY at, id',
    [bucketName, key],
  );
  return rows.map((row) => row.id);
}

/** Makes a hit `ms` old by the database's clock: time passes without the test waiting for it. */
async function age(id: string, ms: number): Promise<void> {
  await admin.query(`UPDATE "RateLimitHit" SET at = ${NOW} - $2::int * interval '1 millisecond' WHERE id = $1`, [
    id,
    ms,
  ]);
}

test('two cells share one limit: max across both, then each refuses with the wait', async () => {
  const limit = { max: 4, windowMs: 60_000 };
  const onA = cellA.limiters(bucket('shared'), limit);
  const onB = cellB.limiters(bucket('shared'), limit);
  assert.deepEqual(
    [await onA.take('ada'), await onB.take('ada'), await onA.take('ada'), await onB.take('ada')],
    [0, 0, 0, 0],
  );
  const wait = await onA.take('ada');
  assert.ok(wait > 59_000 && wait <= 60_000, `refused until the first hit is a minute old, not ${wait} ms`);
  await assert.rejects(takeOrRefuse(onB, 'ada', 'too many runs'), (error) => {
    assert.ok(isRetryLater(error));
    assert.equal(error.status, 429);
    assert.equal(error.message, 'too many runs: try again in 60 s');
    return true;
  });
  assert.equal((await hitsOf(bucket('shared'), 'ada')).length, 4, 'refusals are not counted');
});

test('twenty takes at once over two cells: exactly max are allowed', async () => {
  const limit = { max: 5, windowMs: 60_000 };
  const cells = [cellA.limiters(bucket('race'), limit), cellB.limiters(bucket('race'), limit)];
  const waits = await Promise.all(Array.from({ length: 20 }, (_, index) => cells[index % 2].take('bob')));
  assert.equal(waits.filter((wait) => wait === 0).length, 5);
  assert.ok(
    waits.every((wait) => wait === 0 || (wait > 0 && wait <= 60_000)),
    'every refusal says how long to wait',
  );
  assert.equal((await hitsOf(bucket('race'), 'bob')).length, 5);
});

test('the window slides: a hit that left it frees a place, and the wait is until the oldest leaves', async () => {
  const limit = { max: 2, windowMs: 1_000 };
  const onA = cellA.limiters(bucket('slide'), limit);
  const onB = cellB.limiters(bucket('slide'), limit);
  assert.equal(await onA.take('cy'), 0);
  assert.equal(await onB.take('cy'), 0);
  const [first, second] = await hitsOf(bucket('slide'), 'cy');
  await age(first, 500);
  await age(second, 100);
  const wait = await onA.take('cy');
  assert.ok(wait > 0 && wait <= 500, `refused until the first hit is 1 s old (within 500 ms), not ${wait} ms`);
  await age(first, 1_001);
  assert.equal(await onB.take('cy'), 0, 'the window slid');
  const next = await onA.take('cy');
  assert.ok(next > 500 && next <= 900, `now the second hit is the oldest: at most 900 ms, not ${next} ms`);
});

test('keys and buckets are counted apart', async () => {
  const limit = { max: 1, windowMs: 60_000 };
  const runsOnA = cellA.limiters(bucket('runs'), limit);
  const runsOnB = cellB.limiters(bucket('runs'), limit);
  const writesOnB = cellB.limiters(bucket('writes'), limit);
  assert.equal(await runsOnA.take('dee'), 0);
  assert.equal(await runsOnB.take('eve'), 0, 'another key of the bucket is not affected');
  assert.equal(await writesOnB.take('dee'), 0, 'the same key in another bucket is not affected');
  assert.ok((await runsOnB.take('dee')) > 0, 'the key is refused on the other cell too');
  assert.ok((await writesOnB.take('dee')) > 0);
});

test("hits that left the window are deleted by the bucket's limiter; others stay", async () => {
  const limit = { max: 3, windowMs: 1_000 };
  const old = `${NOW} - interval '5 seconds'`;
  await admin.query(
    `INSERT INTO "RateLimitHit" (bucket, key, at) VALUES ($1, 'fay', ${old}), ($1, 'gus', ${old}), ($2, 'fay', ${old})`,
    [bucket('sweep'), bucket('other')],
  );
  // A limiter's first take deletes its bucket's old hits.
  assert.equal(await cellA.limiters(bucket('sweep'), limit).take('fay'), 0);
  const { rows } = await admin.query<{ bucket: string; key: string }>(
    'SELECT bucket, key FROM "RateLimitHit" WHERE bucket IN ($1, $2) ORDER BY bucket, key',
    [bucket('other'), bucket('sweep')],
  );
  assert.deepEqual(rows, [
    { bucket: bucket('other'), key: 'fay' },
    { bucket: bucket('sweep'), key: 'fay' },
  ]);
});
