// What decides that a start of a container ended in an OOM kill, when Docker's flag and event are late,
// missing or present, and the kernel's count is or is not readable. The waits are real (at most
// LATE_OOM_WAIT_MS); the engine's own behaviour is proven by run-exercise-failures' OOM test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LATE_OOM_WAIT_MS, OomEvidence } from './oom-evidence';

const never = () => false;

test("Docker's flag, an oom event or the kernel's count each say OOM", async () => {
  const oom = new OomEvidence();
  assert.equal(await oom.settle(137, true, never), true);
  oom.oomEvent();
  assert.equal(await oom.settle(137, false, never), true);
  assert.equal(await oom.settle(137, false, () => true), true);
  // A child killed by the OOM killer is an OOM kill of the container, whatever PID 1 exited with (as Docker has it).
  assert.equal(await oom.settle(1, false, () => true), true);
});

test('an event counted belongs to one start: the next start begins with none', async () => {
  const oom = new OomEvidence();
  oom.oomEvent();
  oom.started();
  assert.equal(await oom.settle(0, false, never), false);
});

test('a 137 nobody at Docker sent waits for a late oom event', async () => {
  const oom = new OomEvidence();
  const started = Date.now();
  setTimeout(() => oom.oomEvent(), 100);
  assert.equal(await oom.settle(137, false, never), true);
  const waited = Date.now() - started;
  assert.ok(waited >= 90 && waited < LATE_OOM_WAIT_MS, `waited ${waited} ms`);
});

test('a 137 from a docker kill or stop is not waited on, and is no OOM kill', async () => {
  const oom = new OomEvidence();
  oom.killEvent(15);
  oom.killEvent(9);
  const started = Date.now();
  assert.equal(await oom.settle(137, false, never), false);
  assert.ok(Date.now() - started < LATE_OOM_WAIT_MS / 2);
});

test('a 137 with no sign of an OOM kill is reported as none after the wait, and other exits are not waited on', async () => {
  const oom = new OomEvidence();
  let started = Date.now();
  assert.equal(await oom.settle(137, false, never), false);
  assert.ok(Date.now() - started >= LATE_OOM_WAIT_MS);
  started = Date.now();
  assert.equal(await oom.settle(143, false, never), false);
  assert.equal(await oom.settle(0, false, never), false);
  assert.ok(Date.now() - started < LATE_OOM_WAIT_MS / 2);
});
