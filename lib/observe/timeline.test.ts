import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configureLog } from '../log';
import { Timeline } from './timeline';
import type { TimelineEvent } from './timeline-event';

configureLog({ level: 'silent' });

function output(text: string) {
  return { type: 'output', stream: 'stdout', text } as const;
}

/** Collects what an async iterator yields until it finishes. */
async function collect(iterator: AsyncIterable<TimelineEvent>): Promise<TimelineEvent[]> {
  const seen: TimelineEvent[] = [];
  for await (const event of iterator) seen.push(event);
  return seen;
}

/** Lets pending promise callbacks and timers run. */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

test('events get seq numbers from 0 without gaps', () => {
  const timeline = new Timeline(0);
  const added = [
    timeline.add({ type: 'build-start' }, 1),
    timeline.add(output('a'), 2),
    timeline.add({ type: 'scenario-end', scenario: 'main' }, 3),
  ];
  assert.deepEqual(
    added.map((event) => event.seq),
    [0, 1, 2],
  );
  assert.deepEqual(
    timeline.events().map((event) => event.seq),
    [0, 1, 2],
  );
  assert.equal(timeline.length, 3);
});

test('add stamps the event and keeps its fields', () => {
  const timeline = new Timeline(0);
  const event = timeline.add({ type: 'output', stream: 'stderr', text: 'boom', scenario: 'crash' }, 42);
  assert.deepEqual(event, { type: 'output', stream: 'stderr', text: 'boom', scenario: 'crash', seq: 0, t: 42 });
});

test('t is the given offset rounded, and never negative', () => {
  const timeline = new Timeline(0);
  assert.equal(timeline.add(output('a'), 12.4).t, 12);
  assert.equal(timeline.add(output('b'), 12.6).t, 13);
  assert.equal(timeline.add(output('c'), -5).t, 0);
});

test('t defaults to milliseconds since the timeline started', () => {
  const startedAt = Date.now() - 5_000;
  const timeline = new Timeline(startedAt);
  const event = timeline.add(output('late'));
  assert.ok(event.t >= 5_000 && event.t < 6_000, `t was ${event.t}`);
  assert.equal(timeline.startedAt, startedAt);
});

test('events() returns a copy that callers cannot use to change the timeline', () => {
  const timeline = new Timeline(0);
  timeline.add(output('a'), 1);
  const copy = timeline.events();
  copy.push(copy[0]);
  copy.length = 0;
  assert.equal(timeline.events().length, 1);
});

test('a subscriber gets each event added after it subscribed, and none after unsubscribing', () => {
  const timeline = new Timeline(0);
  timeline.add(output('before'), 1);
  const seen: string[] = [];
  const unsubscribe = timeline.subscribe((event) => seen.push(event.type === 'output' ? event.text : event.type));
  timeline.add(output('during-1'), 2);
  timeline.add(output('during-2'), 3);
  unsubscribe();
  timeline.add(output('after'), 4);
  assert.deepEqual(seen, ['during-1', 'during-2']);
});

test('a listener gets the stamped event', () => {
  const timeline = new Timeline(0);
  let received: TimelineEvent | undefined;
  timeline.subscribe((event) => (received = event));
  const added = timeline.add(output('x'), 7);
  assert.deepEqual(received, added);
  assert.equal(received?.seq, 0);
  assert.equal(received?.t, 7);
});

test('a throwing listener does not stop the event or the other listeners', () => {
  const timeline = new Timeline(0);
  const seen: number[] = [];
  timeline.subscribe(() => {
    throw new Error('listener bug');
  });
  timeline.subscribe((event) => seen.push(event.seq));
  assert.doesNotThrow(() => timeline.add(output('a'), 1));
  timeline.add(output('b'), 2);
  assert.deepEqual(seen, [0, 1]);
  assert.equal(timeline.length, 2);
});

test('add after close throws and records nothing', () => {
  const timeline = new Timeline(0);
  timeline.add(output('a'), 1);
  timeline.close();
  assert.equal(timeline.isClosed, true);
  assert.throws(() => timeline.add({ type: 'build-start' }, 2), /timeline is closed; cannot add build-start/);
  assert.equal(timeline.length, 1);
});

test('close twice is harmless', () => {
  const timeline = new Timeline(0);
  assert.equal(timeline.isClosed, false);
  timeline.close();
  timeline.close();
  assert.equal(timeline.isClosed, true);
});

test('follow on a closed timeline replays every event and finishes', async () => {
  const timeline = new Timeline(0);
  timeline.add(output('a'), 1);
  timeline.add(output('b'), 2);
  timeline.close();
  assert.deepEqual(
    (await collect(timeline.follow())).map((event) => event.seq),
    [0, 1],
  );
});

test('follow replays recorded events, then yields live ones, and finishes on close', async () => {
  const timeline = new Timeline(0);
  timeline.add(output('a'), 1);
  timeline.add(output('b'), 2);
  const followed = collect(timeline.follow());
  await tick();
  timeline.add(output('c'), 3);
  await tick();
  timeline.add(output('d'), 4);
  timeline.add(output('e'), 5);
  await tick();
  timeline.close();
  const seen = await followed;
  assert.deepEqual(
    seen.map((event) => (event.type === 'output' ? event.text : '')),
    ['a', 'b', 'c', 'd', 'e'],
  );
  assert.deepEqual(
    seen.map((event) => event.seq),
    [0, 1, 2, 3, 4],
  );
});

test('follow yields events added while the consumer was busy, in order and once each', async () => {
  const timeline = new Timeline(0);
  const seen: number[] = [];
  const done = (async () => {
    for await (const event of timeline.follow()) {
      seen.push(event.seq);
      // Events arrive while this consumer is between two iterations.
      if (event.seq === 0) {
        timeline.add(output('x'), 2);
        timeline.add(output('y'), 3);
      }
    }
  })();
  timeline.add(output('first'), 1);
  await tick();
  timeline.close();
  await done;
  assert.deepEqual(seen, [0, 1, 2]);
});

test('a follower that starts at a later seq gets only the events from there, without duplicates', async () => {
  const timeline = new Timeline(0);
  for (let i = 0; i < 5; i++) timeline.add(output(`e${i}`), i);
  const followed = collect(timeline.follow(3));
  await tick();
  timeline.add(output('e5'), 5);
  await tick();
  timeline.close();
  assert.deepEqual(
    (await followed).map((event) => event.seq),
    [3, 4, 5],
  );
});

test('a follower that joins after a first one gets the same events', async () => {
  const timeline = new Timeline(0);
  timeline.add(output('a'), 1);
  const first = collect(timeline.follow());
  await tick();
  timeline.add(output('b'), 2);
  const second = collect(timeline.follow(1));
  await tick();
  timeline.add(output('c'), 3);
  await tick();
  timeline.close();
  assert.deepEqual(
    (await first).map((event) => event.seq),
    [0, 1, 2],
  );
  assert.deepEqual(
    (await second).map((event) => event.seq),
    [1, 2],
  );
});

test('a follower waiting on an empty timeline finishes on close with nothing', async () => {
  const timeline = new Timeline(0);
  const followed = collect(timeline.follow());
  await tick();
  timeline.close();
  assert.deepEqual(await followed, []);
});

test('a follower that stops early stops listening to the timeline', async () => {
  const timeline = new Timeline(0);
  // The listener set is private; peeking at it is the only way to see a leak.
  const internals = timeline as unknown as { listeners: Set<unknown>; closeWaiters: Set<unknown> };
  timeline.add(output('a'), 1);
  timeline.add(output('b'), 2);
  for await (const event of timeline.follow()) {
    assert.equal(event.seq, 0);
    assert.equal(internals.listeners.size, 1);
    assert.equal(internals.closeWaiters.size, 1);
    break;
  }
  assert.equal(internals.listeners.size, 0);
  assert.equal(internals.closeWaiters.size, 0);
});
