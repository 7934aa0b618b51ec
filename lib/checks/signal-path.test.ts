// The stop signal's path judged from the kernel's trace of signals: the program must get the very signal
// Docker sent PID 1, not a wrapper's SIGKILL or another signal, and (letFinish) not be killed after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckSpecSchema } from '../lessons/exercise-schema';
import type { NewEvent, ProcessInfo, TimelineEvent } from '../observe/timeline-event';
import { evaluateChecks } from './evaluate';

const proc = (pid: number, ppid: number, argv: string[]): ProcessInfo => ({
  pid,
  ppid,
  command: argv.join(' '),
  argv,
  state: 'S',
});
const init = proc(1, 0, ['python3', 'init.py', 'node', 'worker.js']);
const worker = proc(7, 1, ['node', 'worker.js']);
const toPid1 = (signal: string): NewEvent => ({ type: 'container-signal', signal });
const sent = (signal: string, by: 'process' | 'kernel', extra: Record<string, unknown> = {}): NewEvent =>
  ({
    type: 'signal',
    signal,
    to: 7,
    toCommand: 'node worker.js',
    by,
    ...(by === 'process' ? { from: 1, fromCommand: 'python3 init.py node worker.js' } : {}),
    ...extra,
  }) as NewEvent;

/** The verdict of signal-reaches on a traced stop: the tree, then what followed the stop. */
function judge(
  after: NewEvent[],
  letFinish = false,
  traced = true,
  late: NewEvent[] = [],
  hints?: object,
  only = false,
) {
  const events: NewEvent[] = [
    { type: 'build-end', ok: true, durationMs: 1 },
    { type: 'scenario-start', description: 'd' },
    ...(traced ? [{ type: 'signal-trace' } as NewEvent] : []),
    { type: 'container-start' },
    { type: 'snapshot', processes: [init, worker] },
    { type: 'action-start', action: 'stop', kind: 'stop', detail: 'docker stop -t 4' },
    ...after,
    { type: 'container-die', exitCode: 0, oomKilled: false, willRestart: false },
    ...late,
    { type: 'action-end', action: 'stop', outcome: 'done', detail: '' },
  ].map((event) => ({ scenario: 'main', ...event }) as NewEvent);
  const timeline = events.map((event, seq) => ({ ...event, seq, t: seq * 10 }) as TimelineEvent);
  const spec = CheckSpecSchema.parse({
    id: 'c',
    title: 't',
    scenario: 'main',
    assert: { type: 'signal-reaches', program: { program: 'node', script: 'worker.js' }, after: 'stop', letFinish },
    hint: 'h',
    hints,
    traced: only,
  });
  return evaluateChecks([spec], timeline)[1];
}

test('a hand-written init that passes the stop signal on passes; its SIGKILL or another signal fails', () => {
  const passed = judge([toPid1('SIGTERM'), sent('SIGTERM', 'process')]);
  assert.equal(passed.status, 'pass');
  assert.match(passed.observed, /got SIGTERM from PID 1 \(python3 init\.py/);

  const killed = judge([toPid1('SIGTERM'), sent('SIGKILL', 'process')]);
  assert.equal(killed.status, 'fail');
  assert.match(killed.observed, /docker stop sent SIGTERM, but node worker\.js \(PID 7\) got SIGKILL from PID 1/);

  const other = judge([toPid1('SIGQUIT'), sent('SIGTERM', 'process')]);
  assert.equal(other.status, 'fail');
  assert.match(other.observed, /sent SIGQUIT, but .* got SIGTERM/);

  const none = judge([toPid1('SIGTERM'), sent('SIGKILL', 'kernel')]);
  assert.equal(none.status, 'fail');
  assert.match(none.observed, /got no signal from PID 1: the kernel killed it \(SIGKILL\) when PID 1 ended/);
});

test('with letFinish, a SIGKILL after the stop signal fails, unless the kernel found it already dying', () => {
  const cut = [toPid1('SIGQUIT'), sent('SIGQUIT', 'process'), sent('SIGKILL', 'kernel')];
  assert.equal(judge(cut).status, 'pass', 'without letFinish the signal reached it');
  const refused = judge(cut, true);
  assert.equal(refused.status, 'fail');
  assert.match(refused.observed, /but the kernel killed it \(SIGKILL\) as PID 1 ended .* before it ended by itself/);
  const dying = [toPid1('SIGQUIT'), sent('SIGQUIT', 'process'), sent('SIGKILL', 'kernel', { ignored: true })];
  assert.equal(judge(dying, true).status, 'pass');
});

test('a signal read from the trace after Docker reported the end still counts', () => {
  assert.equal(judge([toPid1('SIGTERM')], false, true, [sent('SIGTERM', 'process')]).status, 'pass');
  const cut = judge([toPid1('SIGQUIT')], true, true, [sent('SIGQUIT', 'process'), sent('SIGKILL', 'kernel')]);
  assert.equal(cut.status, 'fail');
});

test('without the trace, a program that is not PID 1 is judged from the tree as before', () => {
  const untraced = judge([toPid1('SIGTERM')], false, false);
  assert.equal(untraced.status, 'fail');
  assert.match(untraced.observed, /which does not pass signals on/);
});

test('a signal path gone wrong in the trace gets the hint for it, not the one for what PID 1 was', () => {
  const hints = { init: 'about inits', signalled: 'about what PID 1 did with the signal' };
  const killed = judge([toPid1('SIGTERM'), sent('SIGKILL', 'process')], false, true, [], hints);
  assert.equal(killed.hint, 'about what PID 1 did with the signal');
  const untouched = judge([toPid1('SIGTERM'), sent('SIGKILL', 'kernel')], false, true, [], hints);
  assert.equal(untouched.hint, 'h', 'PID 1 (python3) is neither a shell nor an init: the general hint');
});

test('a check judged only where signals are traced is left out of an untraced run, and judged in a traced one', () => {
  assert.equal(judge([toPid1('SIGTERM')], false, false, [], undefined, true), undefined);
  assert.equal(judge([toPid1('SIGTERM'), sent('SIGTERM', 'process')], false, true, [], undefined, true).status, 'pass');
});
