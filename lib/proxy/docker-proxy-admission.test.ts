// The Docker API proxy against the real engine, driven by the real docker CLI: a learner's build waits
// its turn with the runs for a slot, told its place as build output, and is refused when the queue is full.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RunSlots } from '../capacity/run-slots';
import { ALICE, BOB, cli, ok, proxiesFor } from './docker-proxy-fixtures';

/** The slots Alice's and Bob's builds wait for, as the server hands its own; the admission test puts a pool of one in place. */
let buildSlots = new RunSlots(4, { maxWaiting: 100 });
const slots = new Proxy({} as RunSlots, {
  get: (_target, key) => {
    const value = Reflect.get(buildSlots, key);
    return typeof value === 'function' ? value.bind(buildSlots) : value;
  },
});

proxiesFor([ALICE, BOB], { slots });

describe('admission', () => {
  test('a build waits its turn with the runs, told its place as build output, and is refused when the queue is full', async () => {
    const saved = buildSlots;
    const slots = new RunSlots(1, { maxWaiting: 1 });
    buildSlots = slots;
    try {
      const release = await slots.acquire('someone-else');
      const enqueue = slots.enqueue.bind(slots);
      const queued = new Promise<void>((resolve) => {
        slots.enqueue = (owner, signal) => {
          const ticket = enqueue(owner, signal);
          resolve();
          return ticket;
        };
      });
      const waiting = cli(ALICE, ['build', '-t', 'queued:1', '.']);
      await queued;
      const refused = await cli(BOB, ['build', '-t', 'refused:1', '.']);
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /the lab is at capacity: 1 run waiting, try again in ~\d+ s/);
      release();
      const output = await ok(waiting);
      assert.match(output, /The lab is busy: your build waits for a slot \(position 1, about \d+ s\)/);
      assert.match(output, /Successfully tagged queued:1/);
      assert.equal(slots.load.active, 0, 'the build gave its slot back');
      await ok(cli(ALICE, ['rmi', 'queued:1']));
    } finally {
      buildSlots = saved;
    }
  });
});
