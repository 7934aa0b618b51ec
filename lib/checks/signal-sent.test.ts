// signal-sent: the first signal Docker delivered to PID 1 after a step, from its container-signal
// events. Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge, proc, Run } from './evaluate-fixtures';

const ASSERTION = { type: 'signal-sent', signal: 'SIGQUIT', after: 'stop' };

/** A worker stopped by the lab; Docker then sends each of `signals` to PID 1, and it exits with `code`. */
function stopped(signals: string[], code = 0): Run {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2300, proc(1, 0, 'node worker.js'))
    .stepStart(3000, 'stop', 'stop');
  signals.forEach((signal, i) => run.add(3005 + i * 5000, { type: 'container-signal', signal }));
  return run
    .die(3600 + (signals.length - 1) * 5000, code)
    .stepEnd(3700 + (signals.length - 1) * 5000, 'stop')
    .end(9900 + signals.length * 5000);
}

test('signal-sent passes when docker stop sent the image stop signal first', () => {
  const result = judge(ASSERTION, stopped(['SIGQUIT']));
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'docker stop makes Docker send SIGQUIT to PID 1');
  assert.equal(result.observed, 'Docker sent SIGQUIT');
  assert.equal(result.evidence?.type, 'container-signal');
  assert.equal(result.evidence?.summary, 'Docker sent SIGQUIT to PID 1');
});

test('signal-sent fails when Docker sent SIGTERM, the default, and names what it sent', () => {
  const result = judge(ASSERTION, stopped(['SIGTERM']));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'Docker sent SIGTERM');
});

test('signal-sent judges the first signal: the SIGKILL after the grace period does not count', () => {
  const late = judge(ASSERTION, stopped(['SIGQUIT', 'SIGKILL'], 137));
  assert.equal(late.status, 'pass');
  assert.equal(late.observed, 'Docker sent SIGQUIT, then SIGKILL');
  assert.equal(judge({ ...ASSERTION, signal: 'SIGKILL' }, stopped(['SIGTERM', 'SIGKILL'], 137)).status, 'fail');
});

test('signal-sent ignores signals sent before the step began', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .add(2500, { type: 'container-signal', signal: 'SIGQUIT' })
    .stepStart(3000, 'stop', 'stop')
    .add(3005, { type: 'container-signal', signal: 'SIGTERM' })
    .die(3100, 1)
    .stepEnd(3200, 'stop')
    .end(3300);
  assert.equal(judge(ASSERTION, run).status, 'fail');
});

test('signal-sent fails when no signal was sent, saying whether the container was running', () => {
  const none = judge(ASSERTION, stopped([]));
  assert.equal(none.status, 'fail');
  assert.equal(none.observed, 'Docker sent PID 1 no signal');
  const gone = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .die(2500, 0)
    .stepStart(3000, 'stop', 'stop')
    .stepEnd(3000, 'stop', 'skipped', 'the container was not running')
    .end(3100);
  const skipped = judge(ASSERTION, gone);
  assert.equal(skipped.status, 'fail');
  assert.equal(skipped.observed, 'the container was not running, so Docker sent no signal');
});

test('signal-sent accepts only signal names the lab knows', () => {
  assert.throws(() => judge({ ...ASSERTION, signal: 'QUIT' }, stopped(['SIGQUIT'])));
});
