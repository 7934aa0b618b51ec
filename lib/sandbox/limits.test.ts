import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN_LIMITS, runLimitsFor } from './limits';

const MiB = 1024 * 1024;

test('without overrides the run limits are the defaults', () => {
  assert.deepEqual(runLimitsFor(), { ...RUN_LIMITS });
  assert.deepEqual(runLimitsFor({}), { ...RUN_LIMITS });
});

test('an override below the default lowers memory and pids', () => {
  const limits = runLimitsFor({ memoryMb: 64, pids: 16 });
  assert.equal(limits.memoryBytes, 64 * MiB);
  assert.equal(limits.pids, 16);
});

test('an override above the default does not raise memory or pids', () => {
  const limits = runLimitsFor({ memoryMb: 4096, pids: 10_000 });
  assert.equal(limits.memoryBytes, RUN_LIMITS.memoryBytes);
  assert.equal(limits.pids, RUN_LIMITS.pids);
});

test('an override equal to the default keeps it', () => {
  const limits = runLimitsFor({ memoryMb: RUN_LIMITS.memoryBytes / MiB, pids: RUN_LIMITS.pids });
  assert.equal(limits.memoryBytes, RUN_LIMITS.memoryBytes);
  assert.equal(limits.pids, RUN_LIMITS.pids);
});

test('each override applies alone', () => {
  assert.deepEqual(runLimitsFor({ memoryMb: 32 }), { ...RUN_LIMITS, memoryBytes: 32 * MiB });
  assert.deepEqual(runLimitsFor({ pids: 8 }), { ...RUN_LIMITS, pids: 8 });
});

test('overrides leave every other limit as it is', () => {
  const limits = runLimitsFor({ memoryMb: 32, pids: 8 });
  const { memoryBytes, pids, ...rest } = limits;
  const { memoryBytes: defaultMemory, pids: defaultPids, ...defaults } = RUN_LIMITS;
  assert.deepEqual(rest, defaults);
  assert.equal(limits.network, 'none');
  assert.deepEqual(limits.capDrop, ['ALL']);
  assert.ok(memoryBytes < defaultMemory && pids < defaultPids);
});

test('the defaults are frozen so no caller can loosen them', () => {
  assert.ok(Object.isFrozen(RUN_LIMITS));
  runLimitsFor({ memoryMb: 16 });
  assert.equal(RUN_LIMITS.memoryBytes, 256 * MiB);
});
