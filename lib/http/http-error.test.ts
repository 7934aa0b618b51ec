// An HttpError thrown by another copy of the module (the services' copy, loaded by server.ts) is still
// answered as the client's mistake by a route's copy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError, isHttpError, isRetryLater, RetryLaterError } from './http-error';

test('errors of another copy of the module are recognised by their mark, not by their class', async () => {
  // A second copy, as a separately bundled route has: a fresh module instance of the same file.
  const other = (await import(`./http-error.ts?copy=${Date.now()}`)) as typeof import('./http-error');
  assert.notEqual(other.HttpError, HttpError, 'a distinct class');
  const conflict = new other.HttpError(409, 'a run is already in progress');
  const busy = new other.RetryLaterError(503, 'the lab is at capacity', 2_500);
  assert.equal(conflict instanceof HttpError, false, 'instanceof misses it');
  assert.equal(isHttpError(conflict), true);
  assert.equal(isRetryLater(conflict), false);
  assert.equal(isHttpError(busy) && isRetryLater(busy), true);
  assert.equal(isRetryLater(new RetryLaterError(429, 'slow down', 1)), true);
  assert.equal(isHttpError(new Error('platform fault')), false);
  assert.equal(isHttpError(null), false);
});
