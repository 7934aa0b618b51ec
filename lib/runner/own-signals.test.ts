import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OwnSignals } from './own-signals';

test("a signal during the lab's own step, or just around it, is the lab's; one at any other time is not", async () => {
  const own = new OwnSignals();
  const before = Date.now();
  assert.equal(own.foreign(before), true, 'no step has run');
  let inside = 0;
  await own.during(async () => {
    inside = Date.now();
    assert.equal(own.foreign(inside), false, 'while the step runs');
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  const after = Date.now();
  assert.equal(own.foreign(inside), false);
  assert.equal(own.foreign(after + 100), false, 'within the slack after it');
  assert.equal(own.foreign(after + 2_000), true, 'long after it');
  assert.equal(own.foreign(before - 2_000), true, 'long before it');
});

test('a step that fails still closes its span', async () => {
  const own = new OwnSignals();
  await assert.rejects(
    own.during(() => Promise.reject(new Error('stop failed'))),
    /stop failed/,
  );
  assert.equal(own.foreign(Date.now() + 5_000), true);
});
