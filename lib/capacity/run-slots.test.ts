// Admission control: fair across owners (one learner's many runs never delay another's), each waiting
// run told its place and an estimate as it changes, a full queue refused at once, cancellation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CapacityError, RunSlots, SlotCancelledError, type QueuePlace } from './run-slots';
import { RunDurations } from './wait-estimate';

/** Lets granted promises settle. */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

test('one owner enqueueing many runs does not delay the others: owners are served in turn', async () => {
  const slots = new RunSlots(1, { maxWaiting: 50 });
  const served: string[] = [];
  const releaseFirst = await slots.acquire('ann');
  const names = [
    ...Array.from({ length: 8 }, (_, i) => ['ann', `ann${i + 1}`]),
    ['bob', 'bob1'],
    ['cat', 'cat1'],
    ['bob', 'bob2'],
  ];
  const places = new Map<string, number[]>();
  const done = names.map(([owner, name]) => {
    const ticket = slots.enqueue(owner);
    ticket.onQueued((place) => places.set(name, [...(places.get(name) ?? []), place.position]));
    // Each run holds its slot until the next turn of the event loop, then gives it back.
    return ticket.granted.then(async (release) => {
      served.push(name);
      await tick();
      release();
    });
  });
  assert.deepEqual(slots.load, { size: 1, active: 1, waiting: 11, maxWaiting: 50 });
  releaseFirst();
  await Promise.all(done);
  assert.deepEqual(served, ['ann1', 'bob1', 'cat1', 'ann2', 'bob2', 'ann3', 'ann4', 'ann5', 'ann6', 'ann7', 'ann8']);
  // bob joined behind eight of ann's runs, yet was second; each move forward was announced.
  assert.deepEqual(places.get('bob1'), [2, 1]);
  assert.deepEqual(places.get('cat1'), [3, 2, 1]);
  // ann's last run moved back as others joined (fair), then forward one by one.
  assert.deepEqual(places.get('ann8'), [8, 9, 10, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.deepEqual(slots.load, { size: 1, active: 0, waiting: 0, maxWaiting: 50 });
});

test('many owners with many runs each: every round serves each owner once', async () => {
  const slots = new RunSlots(2);
  const served: string[] = [];
  const holds = [await slots.acquire('x'), await slots.acquire('x')];
  const done: Promise<void>[] = [];
  for (const owner of ['a', 'b', 'c']) {
    for (let i = 1; i <= 3; i++) {
      done.push(
        slots.acquire(owner).then(async (release) => {
          served.push(`${owner}${i}`);
          await tick();
          release();
        }),
      );
    }
  }
  holds.forEach((release) => release());
  await Promise.all(done);
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(
      [...served.slice(round * 3, round * 3 + 3)].sort(),
      [`a${round + 1}`, `b${round + 1}`, `c${round + 1}`],
      `round ${round + 1}: ${served}`,
    );
  }
});

test('a waiting run hears its place at once and an estimate from recent runs', async () => {
  const durations = new RunDurations();
  durations.record(2000);
  const slots = new RunSlots(1, { durations });
  const release = await slots.acquire('ann');
  const heard: QueuePlace[] = [];
  const second = slots.enqueue('bob');
  slots.enqueue('cat');
  second.onQueued((place) => heard.push(place)); // a late listener hears the current place
  assert.equal(heard.length, 1);
  assert.equal(heard[0].position, 1);
  assert.ok(heard[0].estimateMs > 1500 && heard[0].estimateMs <= 2000, `estimate ${heard[0].estimateMs}`);
  const third: QueuePlace[] = [];
  slots.enqueue('dan').onQueued((place) => third.push(place));
  assert.ok(
    third[0].estimateMs > 5500 && third[0].estimateMs <= 6000,
    `position 3 waits about three runs: ${third[0].estimateMs}`,
  );
  release();
  await tick();
  assert.equal(heard.length, 1, 'a run granted hears nothing more');
  assert.equal(third.at(-1)?.position, 2);
});

test('past maxWaiting a run is refused at once with the queue length and when to try again', async () => {
  const slots = new RunSlots(1, { maxWaiting: 2 });
  await slots.acquire('a');
  slots.enqueue('b');
  slots.enqueue('c');
  assert.throws(() => slots.assertRoom(), CapacityError);
  assert.throws(
    () => slots.enqueue('d'),
    (error: unknown) => {
      assert.ok(error instanceof CapacityError);
      assert.equal(error.status, 503);
      assert.equal(error.waiting, 2);
      assert.match(error.message, /^the lab is at capacity: 2 runs waiting, try again in ~\d+ s$/);
      assert.ok(error.retryAfterSeconds >= 1);
      return true;
    },
  );
  assert.equal(slots.load.waiting, 2, 'the refused run took no place');
});

test('maxWaiting 0: no queue at all, a run starts at once or is refused', async () => {
  const slots = new RunSlots(1, { maxWaiting: 0 });
  const release = await slots.acquire('a');
  assert.throws(() => slots.enqueue('b'), CapacityError);
  release();
  (await slots.acquire('b'))();
});

test('a run cancelled while it waits leaves the queue, and those behind it move up', async () => {
  const slots = new RunSlots(1);
  const release = await slots.acquire('a');
  const abort = new AbortController();
  const cancelled = slots.enqueue('b', abort.signal);
  const behind: number[] = [];
  slots.enqueue('c').onQueued((place) => behind.push(place.position));
  const ticket = slots.enqueue('d');
  abort.abort();
  await assert.rejects(cancelled.granted, SlotCancelledError);
  assert.deepEqual(behind, [2, 1]);
  ticket.cancel();
  assert.equal(slots.load.waiting, 1);
  release();
  await tick();
  assert.deepEqual(slots.load, { size: 1, active: 1, waiting: 0, maxWaiting: Infinity });
});

test('giving a slot back twice frees it once', async () => {
  const slots = new RunSlots(1);
  const release = await slots.acquire('a');
  const next = slots.enqueue('b');
  release();
  release();
  const releaseNext = await next.granted;
  assert.equal(slots.load.active, 1);
  releaseNext();
  assert.equal(slots.load.active, 0);
});

test('the recent waits for a slot: runs that did not wait count with 0, and the queue says when it drains', async () => {
  const slots = new RunSlots(1);
  const first = await slots.acquire('ann');
  const second = slots.acquire('bo');
  assert.equal(slots.queueWaits().drainMs > 0, true, 'a run waits: the queue drains later');
  await new Promise((resolve) => setTimeout(resolve, 30));
  first();
  (await second)();
  const waits = slots.queueWaits();
  assert.equal(waits.runs, 2);
  assert.ok(waits.p95Ms >= 25, `the waiting run's wait: ${waits.p95Ms} ms`);
  assert.equal(waits.drainMs, 0);
  assert.equal(slots.queueWaits(300_000, Date.now() + 600_000).runs, 0, 'waits older than the window are left out');
});
