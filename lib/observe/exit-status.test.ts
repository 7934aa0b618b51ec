import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeExit, signalFromExitCode, signalNumber } from './exit-status';

test('128+n exit codes name the signal', () => {
  assert.equal(signalFromExitCode(137), 'SIGKILL');
  assert.equal(signalFromExitCode(143), 'SIGTERM');
  assert.equal(signalFromExitCode(130), 'SIGINT');
  assert.equal(signalFromExitCode(3), undefined);
  assert.equal(signalFromExitCode(128), undefined);
});

test('exit descriptions say what a code means', () => {
  assert.equal(describeExit(0), '0 = success');
  assert.equal(describeExit(137), '137 = killed by SIGKILL (128 + 9)');
  assert.match(describeExit(137, true), /OOM/);
  assert.equal(describeExit(3), '3 = the process reported failure');
  assert.equal(signalNumber('SIGTERM'), 15);
});
