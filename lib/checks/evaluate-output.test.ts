// output-contains: a line on stdout, stderr or either, within a time of the first start, and what is
// reported when none matches. Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge, Run } from './evaluate-fixtures';

// --- output-contains ---------------------------------------------------------------------------

function printed(...lines: [number, string, 'stdout' | 'stderr'][]): Run {
  const run = new Run().built().in('main', 2000).start(3000);
  for (const [t, text, stream] of lines) run.output(t, text, stream);
  return run.end(9000);
}

test('output-contains looks at stdout by default', () => {
  const run = printed([3100, 'listening on 8080', 'stdout']);
  const result = judge({ type: 'output-contains', matches: 'listening' }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'stdout at 100 ms: listening on 8080');
  assert.equal(result.expected, 'a line on stdout saying "listening"');
  assert.equal(result.evidence?.type, 'output');
  assert.equal(
    judge({ type: 'output-contains', matches: 'listening' }, printed([3100, 'listening', 'stderr'])).status,
    'fail',
  );
});

test('output-contains with stream stderr ignores stdout', () => {
  assert.equal(
    judge({ type: 'output-contains', stream: 'stderr', matches: 'boom' }, printed([3100, 'boom', 'stderr'])).status,
    'pass',
  );
  assert.equal(
    judge({ type: 'output-contains', stream: 'stderr', matches: 'boom' }, printed([3100, 'boom', 'stdout'])).status,
    'fail',
  );
});

test('output-contains with stream any reads both', () => {
  const result = judge({ type: 'output-contains', stream: 'any', matches: 'boom' }, printed([3100, 'boom', 'stderr']));
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'a line on stdout or stderr saying "boom"');
});

test('output-contains withinMs counts from the first container start', () => {
  const spec = { type: 'output-contains', matches: 'ready', withinMs: 500 };
  assert.equal(judge(spec, printed([3500, 'ready', 'stdout'])).status, 'pass');
  const late = judge(spec, printed([3501, 'ready', 'stdout']));
  assert.equal(late.status, 'fail');
  assert.equal(late.expected, 'a line on stdout saying "ready" within 500 ms of the start');
  // After a restart, a prompt line is still late: the clock started at the first start.
  const restarted = new Run()
    .built()
    .in('main', 2000)
    .start(3000)
    .die(3100, 1, true)
    .restart(3200, 1)
    .start(6000)
    .output(6100, 'ready')
    .end(9000);
  assert.equal(judge(spec, restarted).status, 'fail');
});

test('output-contains reports the last lines when none matches', () => {
  const result = judge(
    { type: 'output-contains', matches: 'ready' },
    printed([3100, 'a', 'stdout'], [3200, 'b', 'stdout'], [3300, 'c', 'stdout'], [3400, 'd', 'stdout']),
  );
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, '4 line(s), none matching; last: stdout: b | stdout: c | stdout: d');
});

test('output-contains reports when nothing was written', () => {
  const result = judge({ type: 'output-contains', matches: 'ready' }, printed());
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'nothing was written there');
  assert.equal(result.evidence, undefined);
});
