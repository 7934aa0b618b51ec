// exec-result: a command run in the container at a step, judged by its exit code and its output. Pure:
// hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge, Run } from './evaluate-fixtures';

// --- exec-result -------------------------------------------------------------------------------

function execd(result: { exitCode: number; output: string } | null, action = 'probe'): Run {
  const run = new Run().built().in('main', 2000).start(2010).stepStart(3000, 'probe', 'exec');
  if (result) run.add(3100, { type: 'exec-result', action, ...result });
  return run
    .stepEnd(3200, 'probe', result ? 'done' : 'timeout', result ? 'exited' : 'the command ran past 5000 ms')
    .end(4000);
}

test('exec-result passes with the expected exit code (0 by default)', () => {
  const result = judge({ type: 'exec-result', step: 'probe' }, execd({ exitCode: 0, output: '  HTTP 200\n' }));
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'exit code 0, output: HTTP 200');
  assert.equal(result.expected, "the lab's command in the container exits with 0");
  assert.equal(result.evidence?.type, 'exec-result');
});

test('exec-result fails with another exit code', () => {
  const result = judge({ type: 'exec-result', step: 'probe' }, execd({ exitCode: 1, output: '' }));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'exit code 1');
  assert.equal(
    judge({ type: 'exec-result', step: 'probe', exitCode: 1 }, execd({ exitCode: 1, output: '' })).status,
    'pass',
  );
});

test('exec-result checks the output when outputMatches is given', () => {
  const spec = { type: 'exec-result', step: 'probe', outputMatches: 'PID 1 is node' };
  assert.equal(judge(spec, execd({ exitCode: 0, output: 'PID 1 is node' })).status, 'pass');
  const result = judge(spec, execd({ exitCode: 0, output: 'PID 1 is sh' }));
  assert.equal(result.status, 'fail');
  assert.equal(
    result.expected,
    `the lab's command in the container exits with 0 and prints a line saying "PID 1 is node"`,
  );
});

test('exec-result fails when the command produced no result', () => {
  const result = judge({ type: 'exec-result', step: 'probe' }, execd(null));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the command could not run: the command ran past 5000 ms');
  assert.equal(result.evidence?.type, 'action-end');
});

test('exec-result ignores the result of another step', () => {
  const result = judge({ type: 'exec-result', step: 'probe' }, execd({ exitCode: 0, output: '' }, 'other'));
  assert.equal(result.status, 'fail');
  assert.match(result.observed, /could not run/);
});
