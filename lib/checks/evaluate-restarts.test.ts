// restart-count: how many times Docker restarted the container, against a minimum, a maximum or a range.
// Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exits, judge } from './evaluate-fixtures';

// --- restart-count -----------------------------------------------------------------------------

test('restart-count passes when Docker restarted at least min times', () => {
  const result = judge({ type: 'restart-count', min: 2 }, exits(1, 1, 1));
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, '2 restart(s)');
  assert.equal(result.expected, 'Docker restarts the container at least 2 time(s)');
  assert.equal(result.evidence?.type, 'container-restart');
});

test('restart-count fails below min', () => {
  const result = judge({ type: 'restart-count', min: 2 }, exits(1, 0));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, '1 restart(s)');
});

test('restart-count fails above max', () => {
  const result = judge({ type: 'restart-count', max: 0 }, exits(1, 0));
  assert.equal(result.status, 'fail');
  assert.equal(result.expected, 'Docker restarts the container exactly 0 time(s)');
  assert.equal(judge({ type: 'restart-count', max: 0 }, exits(0)).status, 'pass');
});

test('restart-count with min and max accepts the range, bounds included', () => {
  const spec = { type: 'restart-count', min: 1, max: 2 };
  assert.equal(judge(spec, exits(0)).status, 'fail');
  assert.equal(judge(spec, exits(1, 0)).status, 'pass');
  assert.equal(judge(spec, exits(1, 1, 0)).status, 'pass');
  assert.equal(judge(spec, exits(1, 1, 1, 0)).status, 'fail');
  assert.equal(judge(spec, exits(1, 0)).expected, 'between 1 and 2 restarts');
  assert.equal(
    judge({ type: 'restart-count', min: 1, max: 1 }, exits(1, 0)).expected,
    'Docker restarts the container exactly 1 time(s)',
  );
});

test('restart-count with no restarts points at the last exit', () => {
  const result = judge({ type: 'restart-count', min: 1 }, exits(0));
  assert.equal(result.status, 'fail');
  assert.equal(result.evidence?.type, 'container-die');
});
