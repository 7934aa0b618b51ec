import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDiskUse, describeExit, signalFromExitCode, signalNumber } from './exit-status';

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
  // What a shell, or Docker for an exec-form command, answers before any program runs.
  assert.equal(describeExit(127), '127 = command not found (no such program, or its interpreter is missing)');
  assert.equal(describeExit(126), '126 = a command found but not run (not executable, or permission denied)');
  assert.equal(signalNumber('SIGTERM'), 15);
});

test('a disk-limit kill says which limit was passed, in MiB or in files', () => {
  const limits = { limitBytes: 256 * 1048576, limitFiles: 20_000 };
  assert.equal(
    describeDiskUse({ bytes: 300 * 1048576, files: 7, ...limits }),
    '300 MiB written, more than the 256 MiB a container may write',
  );
  assert.equal(
    describeDiskUse({ bytes: 1048576, files: 20_001, ...limits }),
    'more than 20000 files written (the limit)',
  );
  assert.equal(
    describeDiskUse({ bytes: 300 * 1048576, ...limits }),
    '300 MiB written, more than the 256 MiB a container may write',
    'bytes only, as a remote engine counts',
  );
});
