// pid1-args: PID 1's arguments, read from its argv, are exactly the operator's. Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProcessInfo } from '../observe/timeline-event';
import { judge, proc, runningWith } from './evaluate-fixtures';
import { programArguments } from './pid1-args';

const withArgv = (pid: number, ppid: number, argv: string[]): ProcessInfo => ({
  ...proc(pid, ppid, argv.join(' ')),
  argv,
});
const assertion = {
  type: 'pid1-args',
  program: { program: 'node', script: 'server.js' },
  args: ['--port', '9090'],
  at: 'settled',
} as const;

test('programArguments: what follows the script, or the executable', () => {
  assert.deepEqual(programArguments(['/usr/bin/node', '--inspect', '/app/server.js', '--port', '9090']), [
    '--port',
    '9090',
  ]);
  assert.deepEqual(programArguments(['node', 'server.js']), []);
  assert.deepEqual(programArguments(['/usr/bin/myapp', '-v']), ['-v']);
  assert.deepEqual(programArguments(['node', '-e', 'x', 'a']), ['-e', 'x', 'a']);
});

test('pid1-args passes when PID 1 is the program with exactly the operator args', () => {
  const result = judge(assertion, runningWith(withArgv(1, 0, ['/usr/bin/node', '/app/server.js', '--port', '9090'])));
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'PID 1 runs node server.js with "--port" "9090"');
});

test('pid1-args fails when the args are missing, doubled or behind a shell', () => {
  const missing = judge(assertion, runningWith(withArgv(1, 0, ['node', 'server.js'])));
  assert.equal(missing.status, 'fail');
  assert.equal(missing.observed, 'PID 1 is "node server.js": node server.js with no arguments');
  const doubled = judge(
    assertion,
    runningWith(withArgv(1, 0, ['node', 'server.js', '--port', '8080', '--port', '9090'])),
  );
  assert.equal(doubled.status, 'fail');
  const shell = judge(
    assertion,
    runningWith(
      withArgv(1, 0, ['/bin/sh', '/app/start.sh', '--port', '9090']),
      withArgv(7, 1, ['node', 'server.js', '--port', '9090']),
    ),
  );
  assert.equal(shell.status, 'fail');
  assert.match(shell.observed ?? '', /not node server\.js/);
});

test('pid1-args reads a command line split on spaces when no argv was sampled', () => {
  assert.equal(judge(assertion, runningWith(proc(1, 0, 'node /app/server.js --port 9090'))).status, 'pass');
});
