// The checks of the container's life: running at a step, exiting within a time of a step, and the exit
// codes (first, last, all, non-zero). Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exits, judge, proc, Run, runningWith } from './evaluate-fixtures';

// --- running-at --------------------------------------------------------------------------------

test('running-at passes while the container runs', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const result = judge({ type: 'running-at', at: 'settled' }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'running: PID 1 (parent 0) node server.js');
  assert.equal(result.expected, 'the container is running when the lab looked');
  assert.equal(result.evidence?.type, 'snapshot');
});

test('running-at fails after the container exited, pointing at the exit', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2050, proc(1, 0, 'node my-daemon.js'))
    .die(2100, 0)
    .step(5000, 'after-5s');
  const result = judge({ type: 'running-at', at: 'after-5s' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the container had already exited (0 = success)');
  assert.equal(result.evidence?.seq, run.seqOf('container-die'));
  assert.equal(result.evidence?.summary, 'exited with 0 = success');
});

test('running-at passes again once Docker restarted the container', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .die(2100, 1, true)
    .restart(2200, 1)
    .start(2210)
    .snapshot(2300, proc(1, 0, 'node server.js'))
    .step(2400, 'later');
  assert.equal(judge({ type: 'running-at', at: 'later' }, run).status, 'pass');
});

test('running-at fails before the container ever started', () => {
  const run = new Run().built().in('main', 2000).step(2010, 'early');
  const result = judge({ type: 'running-at', at: 'early' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the container was not running');
});

// --- exited-within -----------------------------------------------------------------------------

function stopped(dieAt: number, exitCode: number, endOfStep = dieAt + 50): Run {
  return new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2050, proc(1, 0, 'node server.js'))
    .stepStart(3000, 'stop', 'stop')
    .die(dieAt, exitCode)
    .stepEnd(Math.max(endOfStep, 3001), 'stop')
    .end(Math.max(endOfStep, 3001) + 100);
}

test('exited-within passes when the container exits in time with an expected code', () => {
  const result = judge({ type: 'exited-within', after: 'stop', withinMs: 2000, codes: [0] }, stopped(3200, 0));
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'it exited 200 ms after, with 0 = success');
  assert.equal(result.expected, 'the container exits within 2000 ms of docker stop with 0 = success');
  assert.equal(result.evidence?.type, 'container-die');
});

test('exited-within counts from the start of the step, and exactly withinMs is in time', () => {
  assert.equal(judge({ type: 'exited-within', after: 'stop', withinMs: 2000 }, stopped(5000, 0)).status, 'pass');
  assert.equal(judge({ type: 'exited-within', after: 'stop', withinMs: 2000 }, stopped(5001, 0)).status, 'fail');
});

test('exited-within fails when the container exits too late', () => {
  const result = judge({ type: 'exited-within', after: 'stop', withinMs: 2000, codes: [0] }, stopped(8010, 137));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'it exited 5010 ms after, with 137 = killed by SIGKILL (128 + 9)');
});

test('exited-within fails when the exit code is not one of the codes', () => {
  const result = judge({ type: 'exited-within', after: 'stop', withinMs: 2000, codes: [0, 143] }, stopped(3100, 1));
  assert.equal(result.status, 'fail');
  assert.equal(
    result.expected,
    'the container exits within 2000 ms of docker stop with 0 = success or 143 = killed by SIGTERM (128 + 15)',
  );
});

test('exited-within accepts any code when no codes are given', () => {
  assert.equal(judge({ type: 'exited-within', after: 'stop', withinMs: 2000 }, stopped(3100, 1)).status, 'pass');
});

test('exited-within fails when the step was skipped', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .step(3000, 'kill', 'skipped', 'no process matched ^node')
    .end(3100);
  const result = judge({ type: 'exited-within', after: 'kill', withinMs: 1000 }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, "the lab's wait could not be done: no process matched ^node");
  assert.equal(result.evidence?.type, 'action-end');
});

test('exited-within fails when the container never exited', () => {
  const run = new Run().built().in('main', 2000).start(2010).step(3000, 'stop').end(9000);
  const result = judge({ type: 'exited-within', after: 'stop', withinMs: 1000 }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'it was still running when the scenario ended');
  assert.equal(result.evidence?.type, 'scenario-end');
});

test('exited-within ignores an exit that happened before the step began', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .die(2100, 0)
    .restart(2200, 1)
    .start(2210)
    .step(3000, 'stop')
    .end(9000);
  assert.equal(judge({ type: 'exited-within', after: 'stop', withinMs: 1000 }, run).status, 'fail');
});

// --- exit-code ---------------------------------------------------------------------------------

test('exit-code judges the last exit by default, against code 0', () => {
  const pass = judge({ type: 'exit-code' }, exits(1, 0));
  assert.equal(pass.status, 'pass');
  assert.equal(pass.expected, 'the last exit has exit code 0 = success');
  assert.equal(pass.observed, 'exit codes: 1 = the process reported failure; 0 = success');
  assert.equal(judge({ type: 'exit-code' }, exits(0, 1)).status, 'fail');
});

test('exit-code which: first judges only the first exit', () => {
  assert.equal(judge({ type: 'exit-code', which: 'first', codes: [1] }, exits(1, 0, 0)).status, 'pass');
  assert.equal(judge({ type: 'exit-code', which: 'first', codes: [1] }, exits(0, 1, 1)).status, 'fail');
});

test('exit-code which: all needs every exit to match, pointing at the first bad one', () => {
  const run = exits(1, 1, 2, 1);
  const result = judge({ type: 'exit-code', which: 'all', codes: [1] }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.expected, 'every exit has exit code 1 = the process reported failure');
  const badSeq = run.events.filter((e) => e.type === 'container-die')[2].seq;
  assert.equal(result.evidence?.seq, badSeq);
  assert.equal(judge({ type: 'exit-code', which: 'all', codes: [1, 2] }, run).status, 'pass');
});

test('exit-code nonZero passes for any non-zero code and fails for 0', () => {
  const result = judge({ type: 'exit-code', nonZero: true }, exits(137));
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'the last exit has a non-zero exit code');
  assert.equal(judge({ type: 'exit-code', nonZero: true }, exits(0)).status, 'fail');
  assert.equal(judge({ type: 'exit-code', which: 'all', nonZero: true }, exits(3, 0)).status, 'fail');
});

test('exit-code fails when the container never exited', () => {
  const run = new Run().built().in('main', 2000).start(2010).end(9000);
  const result = judge({ type: 'exit-code', codes: [0] }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the container never exited on its own during the scenario');
  assert.equal(result.evidence, undefined);
});
