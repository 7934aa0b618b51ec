import assert from 'node:assert/strict';
import { test } from 'node:test';
import { p95Seconds, sizeFor } from './sizing';

const pid1 = { cpuSeconds: 3.4, aloneSeconds: 2.6 };

test('the model meets the load test it was checked against: 40 learners, 2 cores, 3.4 CPU-s a run', () => {
  // Measured before this model (README, (i)): p95 65.6 s.
  assert.equal(Math.round(p95Seconds(pid1, 40, 2)), 65);
});

test('a room smaller than the machine waits as long as a run alone takes', () => {
  assert.equal(p95Seconds(pid1, 1, 4), 2.6);
});

test('the fewest cores for the target, the memory of their slots, and a target no machine meets', () => {
  const forty = sizeFor(pid1, { learners: 40, targetP95Seconds: 20 }, 512);
  assert.equal(forty.cores, 7);
  assert.ok(forty.p95Seconds <= 20);
  assert.equal(forty.memoryGiB, 8); // 14 slots × 512 MiB + 768 MiB, rounded up to half a GiB
  assert.ok(p95Seconds(pid1, 40, forty.cores - 1) > 20, 'one core fewer misses it');
  const impossible = sizeFor(pid1, { learners: 10, targetP95Seconds: 2 }, 512);
  assert.match(impossible.unreachable ?? '', /a run alone takes 2.6 s/);
  assert.deepEqual([impossible.cores, impossible.p95Seconds], [14, 2.6], 'sized for the run alone instead');
});
