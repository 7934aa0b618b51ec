// The wait estimate: the median of recent runs, and starts simulated slot by slot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RUN_MS, RunDurations, estimateStarts } from './wait-estimate';

test('the typical run is the median of recent ones, and a default before any', () => {
  const durations = new RunDurations();
  assert.equal(durations.typical(), DEFAULT_RUN_MS);
  for (const ms of [3000, 2000, 60_000]) durations.record(ms);
  assert.equal(durations.typical(), 3000, 'one stuck run does not skew it');
});

test('each waiting run takes the slot that frees up first', () => {
  // Two slots, busy for 1 s and 3 s already, runs of 4 s: they free at 3 s and 1 s from now.
  assert.deepEqual(estimateStarts(2, [1000, 3000], 4000, 4), [1000, 3000, 5000, 7000]);
  // A free slot starts the first waiting run at once.
  assert.deepEqual(estimateStarts(2, [1000], 4000, 2), [0, 3000]);
  // A run past the typical time is expected to end any moment.
  assert.deepEqual(estimateStarts(1, [9000], 4000, 2), [0, 4000]);
});
