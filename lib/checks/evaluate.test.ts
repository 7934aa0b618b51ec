// evaluateChecks as a whole: the synthetic build check first, the checks in their order, what a problem
// of a scenario (an error, a step that never ran, a deadline) makes of its checks, and the overall status.
// Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overallStatus } from './check-result';
import { evaluateChecks } from './evaluate';
import { check, judge, proc, Run, runningWith } from './evaluate-fixtures';

// --- the synthetic build check -----------------------------------------------------------------

test('the first result is image-builds, passing when the build succeeded', () => {
  const run = new Run().built(1500);
  const [build] = evaluateChecks([], run.events);
  assert.equal(build.id, 'image-builds');
  assert.equal(build.status, 'pass');
  assert.equal(build.bonus, false);
  assert.equal(build.message, 'built in 1500 ms');
  assert.deepEqual(build.evidence, { seq: run.seqOf('build-end'), t: 1500, type: 'build-end', summary: 'built' });
});

test('results follow the build check in the order of the checks, with their ids, titles and scenarios', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const results = evaluateChecks(
    [
      check('b', { type: 'running-at', at: 'settled' }),
      check('a', { type: 'running-at', at: 'settled' }, { bonus: true }),
    ],
    run.events,
  );
  assert.deepEqual(
    results.map((r) => [r.id, r.title, r.status, r.bonus, r.scenario]),
    [
      ['image-builds', 'The image builds', 'pass', false, undefined],
      ['b', 'title of b', 'pass', false, 'main'],
      ['a', 'title of a', 'pass', true, 'main'],
    ],
  );
});

test('image-builds fails for rejected files, naming file:line, and every check is then not observed', () => {
  const run = new Run()
    .add(0, { type: 'run-start', exerciseId: 'x/y', runId: 'r1' })
    .add(1, { type: 'rejected', file: 'Dockerfile', line: 3, message: 'FROM ubuntu is not allowed' })
    .add(2, { type: 'rejected', file: '(files)', message: '20 files; the limit is 16' });
  const results = evaluateChecks(
    [check('one', { type: 'running-at', at: 'up' }), check('two', { type: 'exit-code' }, { bonus: true })],
    run.events,
  );
  const [build, one, two] = results;
  assert.equal(build.status, 'fail');
  assert.equal(build.observed, 'Dockerfile:3: FROM ubuntu is not allowed; (files): 20 files; the limit is 16');
  assert.equal(
    build.message,
    'refused before building: Dockerfile:3: FROM ubuntu is not allowed; (files): 20 files; the limit is 16',
  );
  assert.equal(build.evidence?.seq, 1);
  assert.equal(build.evidence?.type, 'rejected');
  assert.ok(build.hint);
  for (const result of [one, two]) {
    assert.equal(result.status, 'fail');
    assert.match(result.observed, /not observed/);
    assert.equal(result.message, 'not observed: the image did not build');
    assert.equal(result.evidence, undefined);
  }
  assert.equal(overallStatus(results), 'fail');
});

test('image-builds fails for a failed build, with the error, its line and the end of the build log', () => {
  const run = new Run().add(0, { type: 'run-start', exerciseId: 'x/y', runId: 'r1' }).add(1, { type: 'build-start' });
  for (let i = 1; i <= 35; i++) run.add(1 + i, { type: 'build-output', text: `line ${i}` });
  run.add(100, {
    type: 'build-end',
    ok: false,
    error: "The command '/bin/sh -c false' returned a non-zero code: 1",
    file: 'Dockerfile',
    line: 4,
    durationMs: 99,
  });
  const [build, other] = evaluateChecks([check('one', { type: 'running-at', at: 'up' })], run.events);
  assert.equal(build.status, 'fail');
  assert.equal(build.observed, "Dockerfile:4: The command '/bin/sh -c false' returned a non-zero code: 1");
  assert.match(build.message, /^the build failed: Dockerfile:4: /);
  assert.equal(build.evidence?.type, 'build-end');
  assert.equal(build.evidence?.seq, run.seqOf('build-end'));
  assert.deepEqual(
    build.evidence?.buildLog,
    Array.from({ length: 30 }, (_, i) => `line ${i + 6}`),
  );
  assert.equal(other.status, 'fail');
  assert.equal(other.observed, 'not observed: the image did not build');
});

test('a failed build without a line names no location', () => {
  const run = new Run()
    .add(0, { type: 'build-start' })
    .add(5, { type: 'build-end', ok: false, error: 'no space left', durationMs: 5 });
  const [build] = evaluateChecks([], run.events);
  assert.equal(build.status, 'fail');
  assert.equal(build.observed, 'no space left');
  assert.deepEqual(build.evidence?.buildLog, []);
});

test('a build that never finished makes the build check and every check an error', () => {
  const run = new Run()
    .add(0, { type: 'build-start' })
    .add(5, { type: 'platform-error', message: 'engine unreachable' });
  const results = evaluateChecks([check('one', { type: 'running-at', at: 'up' })], run.events);
  assert.deepEqual(
    results.map((r) => [r.id, r.status, r.observed]),
    [
      ['image-builds', 'error', 'the build did not finish'],
      ['one', 'error', 'the build did not finish'],
    ],
  );
  assert.equal(overallStatus(results), 'error');
});

// --- scenario-level problems -------------------------------------------------------------------

test("a platform-error in a scenario makes that scenario's checks errors, and only those", () => {
  const run = runningWith(proc(1, 0, 'node server.js'))
    .in('crash', 3000)
    .add(3010, { type: 'platform-error', message: 'the container could not be created' });
  const results = evaluateChecks(
    [
      check('main-check', { type: 'running-at', at: 'settled' }),
      check('crash-check', { type: 'exit-code', codes: [137] }, { scenario: 'crash' }),
    ],
    run.events,
  );
  assert.equal(results[1].status, 'pass');
  assert.equal(results[2].status, 'error');
  assert.equal(results[2].observed, 'the container could not be created');
  assert.equal(results[2].message, 'the lab could not observe this: the container could not be created');
  assert.equal(results[2].evidence?.type, 'platform-error');
  assert.equal(overallStatus(results), 'error');
});

test('a platform-error of the run as a whole leaves no check judged, a passed build aside', () => {
  // The engine went away during the second scenario: what the first one showed is not judged either.
  const run = runningWith(proc(1, 0, 'node server.js'))
    .in('crash', 3000)
    .add(3010, { type: 'container-die', exitCode: 137, signal: 'SIGKILL', oomKilled: false, willRestart: false })
    .ofRun(3020, { type: 'platform-error', message: 'the engine went away' });
  const results = evaluateChecks(
    [
      check('main-check', { type: 'running-at', at: 'settled' }),
      check('crash-check', { type: 'exit-code', codes: [137] }, { scenario: 'crash' }),
    ],
    run.events,
  );
  assert.deepEqual(
    results.map((r) => [r.id, r.status, r.observed]),
    [
      ['image-builds', 'pass', results[0].observed],
      ['main-check', 'error', 'not observed: the run stopped before the lab could see it'],
      ['crash-check', 'error', 'not observed: the run stopped before the lab could see it'],
    ],
  );
  assert.ok(results.slice(1).every((r) => r.hint === undefined && r.evidence === undefined));
  assert.equal(overallStatus(results), 'error');
});

test('a check naming a step that never ran fails and says so', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const result = judge({ type: 'pid1-command', matches: '^node', at: 'stop' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the scenario ended before the lab got that far');
  assert.equal(result.expected, 'title of the-check');
  assert.equal(result.hint, 'hint for the-check');
});

test('a step after the scenario deadline fails, naming the deadline', () => {
  const run = runningWith(proc(1, 0, 'node server.js')).add(2600, {
    type: 'deadline',
    what: 'scenario',
    limitMs: 45000,
  });
  const result = judge({ type: 'running-at', at: 'stop' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the scenario hit its 45000 ms deadline before the lab got that far');
});

test('a check of a scenario that never ran fails: its steps never ran', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const result = judge({ type: 'exited-within', after: 'kill', withinMs: 1000 }, run, { scenario: 'crash' });
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the scenario ended before the lab got that far');
});

test('a check reads only the events of its own scenario', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .stepStart(2020, 'settled')
    .snapshot(2100, proc(1, 0, 'sh -c node server.js'), proc(7, 1, 'node server.js'))
    .stepEnd(2200, 'settled')
    .end(2300)
    .in('other', 3000)
    .start(3010)
    .stepStart(3020, 'settled')
    .snapshot(3100, proc(1, 0, 'node server.js'))
    .stepEnd(3200, 'settled')
    .end(3300);
  assert.equal(judge({ type: 'pid1-command', matches: '^node', at: 'settled' }, run).status, 'fail');
  assert.equal(
    judge({ type: 'pid1-command', matches: '^node', at: 'settled' }, run, { scenario: 'other' }).status,
    'pass',
  );
});

// --- overall status ----------------------------------------------------------------------------

test('a failing bonus check does not fail the run, a failing required check does', () => {
  const run = runningWith(proc(1, 0, 'sh -c node server.js'), proc(7, 1, 'node server.js'));
  const withBonus = evaluateChecks(
    [
      check('running', { type: 'running-at', at: 'settled' }),
      check('pid1', { type: 'pid1-command', matches: '^node', at: 'settled' }, { bonus: true }),
    ],
    run.events,
  );
  assert.deepEqual(
    withBonus.map((r) => [r.id, r.status, r.bonus]),
    [
      ['image-builds', 'pass', false],
      ['running', 'pass', false],
      ['pid1', 'fail', true],
    ],
  );
  assert.equal(overallStatus(withBonus), 'pass');
  const required = evaluateChecks(
    [check('pid1', { type: 'pid1-command', matches: '^node', at: 'settled' })],
    run.events,
  );
  assert.equal(overallStatus(required), 'fail');
});
