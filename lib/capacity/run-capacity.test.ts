// Sizing: 2 × cores unless free memory allows fewer runs of LAB_RUN_MEMORY_MB; LAB_MAX_RUNS wins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capacityFor, thisMachine } from './run-capacity';

const GiB = 1024 ** 3;
const defaults = { LAB_MAX_RUNS: undefined, LAB_RUN_MEMORY_MB: 512, LAB_MAX_QUEUE: undefined };

test('cores bound the slots on a machine with memory to spare', () => {
  const capacity = capacityFor({ cores: 2, availableBytes: 20 * GiB }, defaults);
  assert.equal(capacity.slots, 4);
  assert.equal(capacity.maxWaiting, 100);
  assert.match(capacity.basis, /2 × 2 cores/);
});

test('free memory bounds the slots on a machine short of it', () => {
  const capacity = capacityFor({ cores: 8, availableBytes: 1.5 * GiB }, defaults);
  assert.equal(capacity.slots, 3);
  assert.match(capacity.basis, /MiB available/);
  assert.equal(capacityFor({ cores: 8, availableBytes: 0.1 * GiB }, defaults).slots, 1, 'never less than one');
});

test('the settings win', () => {
  const capacity = capacityFor(
    { cores: 2, availableBytes: 20 * GiB },
    { LAB_MAX_RUNS: 1, LAB_RUN_MEMORY_MB: 512, LAB_MAX_QUEUE: 3 },
  );
  assert.deepEqual(capacity, { slots: 1, maxWaiting: 3, basis: 'LAB_MAX_RUNS' });
});

test('this machine has cores and some memory available', () => {
  const machine = thisMachine();
  assert.ok(machine.cores >= 1);
  assert.ok(machine.availableBytes > 0);
});
