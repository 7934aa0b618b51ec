// waitFor with predicates the test scripts: the first truthy value, a promise awaited, errors tried
// again and quoted when time runs out, the deadline and the pause between tries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from './wait-for';

/** A predicate that answers each of `answers` in turn, then the last one again; it counts its calls. */
function scripted<T>(...answers: (() => T)[]) {
  let calls = 0;
  const predicate = () => answers[Math.min(calls++, answers.length - 1)]();
  return { predicate, calls: () => calls };
}

test('resolves to the first truthy value, trying again while the predicate answers undefined, null or false', async () => {
  const { predicate, calls } = scripted<string | undefined | null | false>(
    () => undefined,
    () => null,
    () => false,
    () => 'ready',
  );
  assert.equal(await waitFor(predicate, { timeoutMs: 5_000, what: 'ready', intervalMs: 1 }), 'ready');
  assert.equal(calls(), 4);
});

test('awaits a predicate that returns a promise', async () => {
  const { predicate, calls } = scripted<Promise<{ id: number } | undefined>>(
    async () => undefined,
    async () => ({ id: 7 }),
  );
  assert.deepEqual(await waitFor(predicate, { timeoutMs: 5_000, what: 'the record', intervalMs: 1 }), { id: 7 });
  assert.equal(calls(), 2);
});

test('a predicate that throws is tried again', async () => {
  const { predicate } = scripted(
    () => {
      throw new Error('not there yet');
    },
    () => 42,
  );
  assert.equal(await waitFor(predicate, { timeoutMs: 5_000, what: 'the answer', intervalMs: 1 }), 42);
});

test('past the deadline it rejects naming what it waited for, after trying until then', async () => {
  const { predicate, calls } = scripted(() => undefined);
  const started = Date.now();
  await assert.rejects(
    waitFor(predicate, { timeoutMs: 60, what: 'the container to start', intervalMs: 5 }),
    (error: Error) => {
      assert.equal(error.message, 'timed out after 60 ms waiting for the container to start');
      assert.equal(error.cause, undefined);
      return true;
    },
  );
  assert.ok(Date.now() - started >= 60, `gave up after ${Date.now() - started} ms`);
  assert.ok(calls() >= 2, `tried ${calls()} times`);
});

test('the timeout quotes the last error the predicate threw and keeps it as the cause', async () => {
  let tries = 0;
  const predicate = () => {
    tries += 1;
    throw new Error(`no line yet (try ${tries})`);
  };
  await assert.rejects(waitFor(predicate, { timeoutMs: 30, what: 'the line', intervalMs: 5 }), (error: Error) => {
    assert.equal(
      error.message,
      `timed out after 30 ms waiting for the line; the last try threw: no line yet (try ${tries})`,
    );
    assert.equal((error.cause as Error).message, `no line yet (try ${tries})`);
    return true;
  });
});

test('waits intervalMs between tries', async () => {
  const { predicate, calls } = scripted(() => false);
  await assert.rejects(
    waitFor(predicate, { timeoutMs: 100, what: 'nothing', intervalMs: 25 }),
    /timed out after 100 ms/,
  );
  // A try at the start, one after each pause and one at the deadline: 100 / 25 + 2 at most, fewer when busy.
  assert.ok(calls() >= 2 && calls() <= 6, `tried ${calls()} times`);
});
