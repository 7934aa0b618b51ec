// The checks that look at the processes in the container: PID 1's command, a process present or absent,
// a child of PID 1 or of a named parent, and a process respawned after a step. Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActionOutcome } from '../observe/timeline-event';
import { judge, proc, Run, runningWith } from './evaluate-fixtures';

// --- pid1-command ------------------------------------------------------------------------------

test('pid1-command passes when PID 1 runs the expected command', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const result = judge({ type: 'pid1-command', matches: '^node .*server\\.js', at: 'settled' }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'PID 1 is "node server.js"');
  assert.equal(result.expected, 'PID 1 runs the program this check looks for');
  assert.equal(result.evidence?.seq, run.seqOf('snapshot'));
  assert.equal(result.evidence?.summary, '1:node server.js');
  assert.equal(result.hint, undefined);
});

test('pid1-command fails with the command PID 1 actually runs', () => {
  const run = runningWith(proc(1, 0, '/bin/sh -c node server.js'), proc(7, 1, 'node server.js'));
  const result = judge({ type: 'pid1-command', matches: '^node', at: 'settled' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'PID 1 is "/bin/sh -c node server.js"');
  assert.equal(result.hint, 'hint for the-check');
  assert.equal(
    result.message,
    'expected PID 1 runs the program this check looks for; observed PID 1 is "/bin/sh -c node server.js"',
  );
});

test('pid1-command fails when the container had exited at the marker', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2050, proc(1, 0, 'node server.js'))
    .stepStart(2100, 'settled')
    .die(2200, 1)
    .stepEnd(2400, 'settled');
  const result = judge({ type: 'pid1-command', matches: '^node', at: 'settled' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'no PID 1: the container had already exited (1 = the process reported failure)');
  assert.equal(result.evidence?.type, 'container-die');
  assert.equal(result.evidence?.seq, run.seqOf('container-die'));
});

test('pid1-command judges the last snapshot before the marker, not a later one', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2050, proc(1, 0, 'sh -c node server.js'))
    .stepEnd(2100, 'settled')
    .snapshot(2200, proc(1, 0, 'node server.js'));
  assert.equal(judge({ type: 'pid1-command', matches: '^node', at: 'settled' }, run).status, 'fail');
});

// --- process-present, process-absent -----------------------------------------------------------

test('process-present passes when a live process matches', () => {
  const result = judge(
    { type: 'process-present', matches: 'worker\\.js', at: 'settled' },
    runningWith(proc(1, 0, 'supervisord'), proc(8, 1, 'node worker.js')),
  );
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'PID 1 (parent 0) supervisord; PID 8 (parent 1) node worker.js');
  assert.equal(result.expected, 'a process this check looks for when the lab looked');
});

test('process-present fails when only a zombie matches', () => {
  const result = judge(
    { type: 'process-present', matches: 'worker', at: 'settled' },
    runningWith(proc(1, 0, 'supervisord'), proc(8, 1, '[worker]', 'Z')),
  );
  assert.equal(result.status, 'fail');
  assert.match(result.observed, /PID 8 \(parent 1\) \[worker\] <zombie>/);
});

test('process-present fails when the container is no longer running', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2050, proc(1, 0, 'node worker.js'))
    .die(2100, 137)
    .stepEnd(2200, 'settled');
  const result = judge({ type: 'process-present', matches: 'worker', at: 'settled' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the container had already exited (137 = killed by SIGKILL (128 + 9))');
});

test('process-absent passes when no live process matches (zombies do not count)', () => {
  const result = judge(
    { type: 'process-absent', matches: 'sleep', at: 'settled' },
    runningWith(proc(1, 0, 'node'), proc(9, 1, '[sleep]', 'Z')),
  );
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'no process whose command has "sleep" in it when the lab looked');
});

test('process-absent fails when a live process matches', () => {
  const result = judge(
    { type: 'process-absent', matches: 'sleep', at: 'settled' },
    runningWith(proc(1, 0, 'sh'), proc(9, 1, 'sleep infinity')),
  );
  assert.equal(result.status, 'fail');
  assert.match(result.observed, /PID 9 \(parent 1\) sleep infinity/);
});

// --- child-of ----------------------------------------------------------------------------------

test("child-of with parentPid1 passes when the child's parent is PID 1", () => {
  const result = judge(
    { type: 'child-of', child: 'server\\.js', parentPid1: true, at: 'settled' },
    runningWith(proc(1, 0, 'supervisord'), proc(7, 1, 'node server.js')),
  );
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'a process this check looks for whose parent is PID 1');
});

test('child-of with parentPid1 fails for a grandchild of PID 1', () => {
  const result = judge(
    { type: 'child-of', child: '^node server\\.js', parentPid1: true, at: 'settled' },
    runningWith(proc(1, 0, 'supervisord'), proc(7, 1, 'sh -c node server.js'), proc(8, 7, 'node server.js')),
  );
  assert.equal(result.status, 'fail');
  assert.match(result.observed, /PID 8 \(parent 7\) node server\.js/);
});

test('child-of without a parent means PID 1', () => {
  assert.equal(
    judge({ type: 'child-of', child: '^node', at: 'settled' }, runningWith(proc(1, 0, 'tini'), proc(5, 1, 'node w.js')))
      .status,
    'pass',
  );
  assert.equal(
    judge(
      { type: 'child-of', child: '^node', at: 'settled' },
      runningWith(proc(1, 0, 'tini'), proc(4, 1, 'sh'), proc(5, 4, 'node w.js')),
    ).status,
    'fail',
  );
});

test("child-of with a parent pattern passes when the child's parent matches it", () => {
  const processes = [
    proc(1, 0, 'sh entrypoint.sh'),
    proc(5, 1, '/usr/bin/python3 /usr/bin/supervisord'),
    proc(6, 5, 'node worker.js'),
  ];
  const result = judge(
    { type: 'child-of', child: 'worker', parent: 'supervisord', at: 'settled' },
    runningWith(...processes),
  );
  assert.equal(result.status, 'pass');
  assert.equal(
    result.expected,
    'a process whose command has "worker" in it whose parent is the process whose command has "supervisord" in it',
  );
});

test('child-of with a parent pattern fails when the child has another parent', () => {
  const processes = [proc(1, 0, 'supervisord'), proc(5, 1, 'sh -c node worker.js'), proc(6, 5, 'node worker.js')];
  const result = judge(
    { type: 'child-of', child: '^node worker', parent: 'supervisord', at: 'settled' },
    runningWith(...processes),
  );
  assert.equal(result.status, 'fail');
});

test('child-of does not count a zombie child', () => {
  const result = judge(
    { type: 'child-of', child: 'worker', parentPid1: true, at: 'settled' },
    runningWith(proc(1, 0, 'supervisord'), proc(6, 1, '[worker]', 'Z')),
  );
  assert.equal(result.status, 'fail');
});

// --- process-respawned -------------------------------------------------------------------------

function respawn(spawnAt: number | null, command = 'node worker.js', outcome: ActionOutcome = 'done'): Run {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .spawn(2100, proc(8, 1, 'node worker.js'))
    .stepStart(3000, 'kill', 'signal');
  if (spawnAt !== null) run.spawn(spawnAt, proc(12, 1, command));
  return run
    .stepEnd(
      Math.max(3010, (spawnAt ?? 0) + 10),
      'kill',
      outcome,
      outcome === 'skipped' ? 'no process matched worker' : 'sent SIGKILL',
    )
    .end(9000);
}

test('process-respawned passes when a new matching process appears in time', () => {
  const result = judge({ type: 'process-respawned', matches: 'worker', after: 'kill', withinMs: 2000 }, respawn(3500));
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'PID 12 (node worker.js) appeared 500 ms after');
  assert.equal(result.evidence?.type, 'process-spawn');
});

test('process-respawned fails when the new process appears too late', () => {
  const result = judge({ type: 'process-respawned', matches: 'worker', after: 'kill', withinMs: 2000 }, respawn(5001));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'PID 12 (node worker.js) appeared 2001 ms after');
});

test('process-respawned ignores spawns before the step and spawns of other commands', () => {
  const result = judge(
    { type: 'process-respawned', matches: 'worker', after: 'kill', withinMs: 2000 },
    respawn(3500, 'node server.js'),
  );
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'no such process appeared');
  assert.equal(
    judge({ type: 'process-respawned', matches: 'worker', after: 'kill', withinMs: 2000 }, respawn(null)).status,
    'fail',
  );
});

test('process-respawned fails when the step was skipped', () => {
  const result = judge(
    { type: 'process-respawned', matches: 'worker', after: 'kill', withinMs: 2000 },
    respawn(null, 'x', 'skipped'),
  );
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the signal the lab sent could not be done: no process matched worker');
});
