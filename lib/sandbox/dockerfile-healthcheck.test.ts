import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractBuilderFlags } from './dockerfile-flags';
import { HEALTHCHECK_MIN_INTERVAL_MS, healthcheckFlagProblems, parseGoDuration } from './dockerfile-healthcheck';

test('parseGoDuration reads Go durations in milliseconds', () => {
  const cases: [string, number][] = [
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['1.s', 1000],
    ['2h', 7_200_000],
    ['1500us', 1.5],
    ['1500\u00b5s', 1.5],
    ['1000000ns', 1],
    ['0', 0],
    ['-2s', -2000],
    ['+2s', 2000],
  ];
  for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
});

test('parseGoDuration refuses what Go refuses', () => {
  for (const text of ['', '5', '.s', 's', '1x', '1e3s', '1.5.5s', '0.', '99999999999h', ' 5s', '5 s']) {
    assert.equal(parseGoDuration(text), undefined, text);
  }
});

test('the floor is 2 s', () => {
  assert.equal(HEALTHCHECK_MIN_INTERVAL_MS, 2000);
});

const problemsOf = (flags: string) => healthcheckFlagProblems(extractBuilderFlags(`${flags} CMD true`).flags);

test('an interval (or start interval) below the floor is refused with the floor named', () => {
  assert.deepEqual(problemsOf('--interval=1ms'), ["HEALTHCHECK --interval=1ms is too short: the lab's floor is 2s"]);
  assert.equal(problemsOf('--interval=1999ms').length, 1);
  assert.equal(problemsOf('--start-interval=500ms').length, 1);
  assert.equal(problemsOf('--interval=-5s').length, 1);
  assert.deepEqual(problemsOf('--interval=2s --start-interval=1m'), []);
});

test('a timeout or start period keeps the engine minimum of 1 ms; durations must be Go durations', () => {
  assert.deepEqual(problemsOf('--timeout=1s --start-period=500ms --retries=3'), []);
  assert.match(problemsOf('--timeout=0s')[0], /--timeout=0s is too short: the engine's minimum is 1ms/);
  assert.match(problemsOf('--interval=5')[0], /--interval=5 is not a duration/);
  assert.match(problemsOf('--interval')[0], /--interval needs a value/);
});

test('an empty value is the default to the engine and passes', () => {
  assert.deepEqual(problemsOf('--interval='), []);
});
