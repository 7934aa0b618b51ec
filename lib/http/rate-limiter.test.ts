// The sliding window: allowed up to the limit, refused with the wait, allowed again once it slides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryRateLimiter } from './rate-limiter';

test('a key may act max times per window, then waits for the oldest action to leave it', async () => {
  const limiter = new MemoryRateLimiter({ max: 2, windowMs: 1000 });
  assert.equal(await limiter.take('a', 0), 0);
  assert.equal(await limiter.take('a', 100), 0);
  assert.equal(await limiter.take('a', 200), 800, 'refused until the first action is 1 s old');
  assert.equal(await limiter.take('b', 200), 0, 'another key is not affected');
  assert.equal(await limiter.take('a', 1001), 0, 'the window slid');
  assert.equal(await limiter.take('a', 1050), 50, 'a refusal is not counted');
});
