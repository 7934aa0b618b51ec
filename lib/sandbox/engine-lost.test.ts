// What counts as losing the engine: a connection that broke or could not be made, not an answer of the
// engine (a 404, a 409, a refused request) and not a file of the host that is missing.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { EngineLoss } from '../runner/engine-loss';
import { ENGINE_LOST_MESSAGE, EngineLostError, isEngineConnectionError } from './engine-lost';

/** The error Node gives for a connection to a socket path nobody listens on. */
function connectError(path: string): Promise<Error> {
  return new Promise((resolve) => net.connect(path).on('error', resolve));
}

test('a socket that is gone or was cut is the engine lost; an answer or a missing file is not', async () => {
  assert.ok(isEngineConnectionError(await connectError('/nonexistent/docker.sock')), 'connect ENOENT');
  assert.ok(isEngineConnectionError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' })));
  assert.ok(isEngineConnectionError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })));
  assert.ok(isEngineConnectionError(new Error('socket hang up')));
  assert.ok(isEngineConnectionError(new EngineLostError('the build stream was cut')));
  assert.ok(!isEngineConnectionError(Object.assign(new Error('no such container'), { statusCode: 404 })));
  // dockerd stopping: its containerd connection closes under a request, and it answers 500 in gRPC's words.
  const answer = (text: string) =>
    Object.assign(new Error(`(HTTP code 500) server error - ${text} `), { statusCode: 500 });
  assert.ok(isEngineConnectionError(answer('grpc: the client connection is closing: context canceled')));
  assert.ok(isEngineConnectionError(answer('transport is closing: unavailable')));
  assert.ok(!isEngineConnectionError(answer('OCI runtime create failed: container_linux.go:380')));
  assert.ok(
    !isEngineConnectionError(Object.assign(new Error('open /proc/1/stat'), { code: 'ENOENT', syscall: 'open' })),
  );
  assert.ok(!isEngineConnectionError(undefined));
});

test("a run's loss: its signal aborts once, with the message for the learner; the caller's abort passes through", () => {
  const outer = new AbortController();
  const loss = new EngineLoss(outer.signal);
  assert.ok(!loss.explains(new Error('a learner mistake')), 'an ordinary error is not a loss');
  assert.ok(!loss.signal.aborted);
  loss.lose('the engine ended the event stream');
  loss.lose('a second report');
  assert.equal(loss.detail, 'the engine ended the event stream');
  assert.ok(loss.signal.aborted);
  assert.equal((loss.signal.reason as Error).message, ENGINE_LOST_MESSAGE);
  assert.ok(loss.explains(new Error('anything after the loss')), 'everything after the loss is the loss');

  const cancelled = new AbortController();
  const other = new EngineLoss(cancelled.signal);
  cancelled.abort(new Error('the learner left'));
  assert.ok(other.signal.aborted && !other.happened);
  assert.ok(new EngineLoss(cancelled.signal).signal.aborted, 'an already aborted signal aborts at once');
});
