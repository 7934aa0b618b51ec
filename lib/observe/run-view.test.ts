import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  eventLabel,
  explainExit,
  formatSeconds,
  notJudgedBecause,
  processesAt,
  reparentedPids,
  scenariosOf,
} from './run-view';
import type { NewEvent, ProcessInfo, TimelineEvent } from './timeline-event';

function proc(pid: number, ppid: number, command: string, state = 'S'): ProcessInfo {
  return { pid, ppid, command, state };
}

/** Stamps events with consecutive seqs and the given times, like the real Timeline does. */
function timeline(...entries: [number, NewEvent][]): TimelineEvent[] {
  return entries.map(([t, event], seq) => ({ ...event, seq, t }) as TimelineEvent);
}

const die = (
  exitCode: number,
  extra: Partial<{ oomKilled: boolean; willRestart: boolean; signal: string }> = {},
): NewEvent => ({
  type: 'container-die',
  scenario: 'main',
  exitCode,
  oomKilled: false,
  willRestart: false,
  ...extra,
});

// A container that starts sh as PID 1, which starts a server, then gets killed.
const sh = proc(1, 0, '/bin/sh -c node server.js');
const node = proc(7, 1, 'node server.js');
const run = timeline(
  [0, { type: 'build-start' }],
  [900, { type: 'build-end', ok: true, durationMs: 900 }],
  [1000, { type: 'scenario-start', scenario: 'main', description: 'starts and is stopped' }],
  [1010, { type: 'container-create', scenario: 'main', containerId: 'c1' }],
  [1100, { type: 'container-start', scenario: 'main' }],
  [1200, { type: 'process-spawn', scenario: 'main', process: sh }],
  [1201, { type: 'snapshot', scenario: 'main', processes: [sh] }], // seq 6
  [3000, { type: 'process-spawn', scenario: 'main', process: node }],
  [3001, { type: 'snapshot', scenario: 'main', processes: [sh, node] }], // seq 8
  [5000, { type: 'process-exit', scenario: 'main', process: sh }],
  [5000, { type: 'process-exit', scenario: 'main', process: node }],
  [5001, { type: 'snapshot', scenario: 'main', processes: [] }],
  [5002, die(137, { signal: 'SIGKILL' })], // seq 12
  [5100, { type: 'scenario-end', scenario: 'main' }],
);

test('scenariosOf lists scenarios in order with status, restarts and last exit', () => {
  const events = timeline(
    [0, { type: 'scenario-start', scenario: 'a', description: 'first' }],
    [10, { type: 'container-start', scenario: 'a' }],
    [20, { type: 'scenario-start', scenario: 'b', description: 'second' }],
    [30, { type: 'container-start', scenario: 'b' }],
    [40, { ...die(1, { willRestart: true }), scenario: 'a' }],
    [50, { type: 'container-restart', scenario: 'a', restartCount: 1 }],
    [60, { type: 'container-start', scenario: 'a' }],
    [70, { ...die(137, { oomKilled: true }), scenario: 'b' }],
    [80, { type: 'scenario-end', scenario: 'b' }],
  );
  const [a, b] = scenariosOf(events);
  assert.deepEqual(
    { id: a.id, description: a.description, status: a.status, restartCount: a.restartCount, code: a.lastExit?.code },
    { id: 'a', description: 'first', status: 'running', restartCount: 1, code: 1 },
  );
  assert.equal(b.status, 'done');
  assert.deepEqual(b.lastExit, { code: 137, signal: undefined, oomKilled: true, willRestart: false, seq: 7, t: 70 });
  assert.equal(scenariosOf(events.slice(0, 8))[1].status, 'exited');
  assert.deepEqual(scenariosOf(timeline([0, { type: 'build-start' }])), []);
});

test('processesAt returns the last snapshot up to the point, or the latest', () => {
  assert.deepEqual(processesAt(run, 'main', 6).processes, [sh]);
  assert.deepEqual(processesAt(run, 'main', 7).processes, [sh]);
  assert.deepEqual(processesAt(run, 'main', 8).processes, [sh, node]);
  assert.equal(processesAt(run, 'main', 8).running, true);
  assert.deepEqual(processesAt(run, 'main', 3).processes, []); // created, not started
  assert.deepEqual(processesAt(run, 'other', 8).processes, []);
});

test('processesAt is empty once the container died, even if the last snapshot was not', () => {
  const events = timeline(
    [0, { type: 'container-start', scenario: 'main' }],
    [10, { type: 'snapshot', scenario: 'main', processes: [sh] }],
    [20, die(0)],
  );
  assert.deepEqual(processesAt(events, 'main').processes, []);
  assert.equal(processesAt(events, 'main').running, false);
  assert.deepEqual(processesAt(events, 'main', 1).processes, [sh]);
});

test('processesAt marks processes spawned and exited within the last 1.5 s of run time', () => {
  const at8 = processesAt(run, 'main', 8);
  assert.deepEqual([...at8.spawned], [7]); // sh was spawned 1.8 s earlier
  assert.equal(at8.exited.size, 0);
  const afterDeath = processesAt(run, 'main', 12);
  assert.deepEqual(afterDeath.processes, []);
  assert.deepEqual([...afterDeath.exited.keys()].sort(), [1, 7]);
  assert.deepEqual(afterDeath.exited.get(7), node); // kept so the page can grey it out
  assert.equal(processesAt(run, 'main').exited.size, 2); // scenario-end 98 ms later: still recent
});

test('processesAt measures "recent" from a later live clock when given', () => {
  assert.equal(processesAt(run, 'main', 8, { now: 4000 }).spawned.size, 1);
  assert.equal(processesAt(run, 'main', 8, { now: 4600 }).spawned.size, 0);
  assert.equal(processesAt(run, 'main', 8, { now: 0 }).spawned.size, 1); // an earlier clock does not rewind
  assert.equal(processesAt(run, 'main', 12, { recentMs: 1 }).exited.size, 0);
});

test('processesAt forgets spawns and exits from before a restart', () => {
  const events = timeline(
    [0, { type: 'container-start', scenario: 'main' }],
    [10, { type: 'process-spawn', scenario: 'main', process: sh }],
    [11, { type: 'snapshot', scenario: 'main', processes: [sh] }],
    [20, { type: 'process-exit', scenario: 'main', process: sh }],
    [21, { type: 'snapshot', scenario: 'main', processes: [] }],
    [22, die(1, { willRestart: true })],
    [30, { type: 'container-restart', scenario: 'main', restartCount: 1 }],
    [31, { type: 'container-start', scenario: 'main' }],
  );
  const view = processesAt(events, 'main');
  assert.equal(view.running, true);
  assert.deepEqual(view.processes, []);
  assert.equal(view.exited.size, 0);
});

test('processesAt does not call a zombie "exited": it stays in the list', () => {
  const zombie = proc(7, 1, '[node]', 'Z');
  const events = timeline(
    [0, { type: 'container-start', scenario: 'main' }],
    [10, { type: 'snapshot', scenario: 'main', processes: [sh, node] }],
    [20, { type: 'process-exit', scenario: 'main', process: node }],
    [21, { type: 'snapshot', scenario: 'main', processes: [sh, zombie] }],
  );
  const view = processesAt(events, 'main');
  assert.deepEqual(view.processes, [sh, zombie]);
  assert.equal(view.exited.size, 0);
});

test('reparentedPids finds processes first seen under another parent that now hang off PID 1', () => {
  const init = proc(1, 0, 'tini -- sh');
  const shell = proc(5, 1, 'sh start.sh');
  const worker = proc(9, 5, 'worker');
  const orphan = proc(9, 1, 'worker');
  const direct = proc(11, 1, 'direct child');
  const events = timeline(
    [0, { type: 'container-start', scenario: 'main' }],
    [10, { type: 'process-spawn', scenario: 'main', process: init }],
    [10, { type: 'process-spawn', scenario: 'main', process: shell }],
    [10, { type: 'process-spawn', scenario: 'main', process: worker }],
    [10, { type: 'process-spawn', scenario: 'main', process: direct }],
    [11, { type: 'snapshot', scenario: 'main', processes: [init, shell, worker, direct] }], // seq 5
    [20, { type: 'process-exit', scenario: 'main', process: shell }],
    [21, { type: 'snapshot', scenario: 'main', processes: [init, orphan, direct] }], // seq 7
  );
  assert.deepEqual([...reparentedPids(events, 'main')], [9]);
  assert.deepEqual([...reparentedPids(events, 'main', 5)], []);
  // After a restart, PID 9 is a new process: its old parent says nothing.
  const restarted = [
    ...events,
    ...timeline(
      [0, { type: 'container-start', scenario: 'main' }],
      [0, { type: 'process-spawn', scenario: 'main', process: init }],
      [0, { type: 'process-spawn', scenario: 'main', process: orphan }],
      [0, { type: 'snapshot', scenario: 'main', processes: [init, orphan] }],
    ).map((event, i) => ({ ...event, seq: 8 + i, t: 30 })),
  ];
  assert.deepEqual([...reparentedPids(restarted, 'main')], []);
});

test('explainExit says what an exit code means, briefly', () => {
  assert.equal(explainExit(0), '0 = success');
  assert.equal(explainExit(137), '137 = killed by SIGKILL');
  assert.equal(explainExit(143, 'SIGTERM'), '143 = killed by SIGTERM');
  assert.equal(explainExit(137, 'SIGKILL', true), 'OOM-killed (137)');
  assert.equal(explainExit(3), '3 = the process reported failure');
  assert.equal(explainExit(-1), 'exit code unknown');
});

test('formatSeconds and eventLabel make the timeline list text', () => {
  assert.equal(formatSeconds(1320), '1.32 s');
  assert.equal(formatSeconds(0), '0.00 s');
  assert.equal(formatSeconds(123_400), '123.4 s');
  assert.equal(eventLabel(run[12]), 'exit 137 = killed by SIGKILL');
  assert.equal(eventLabel(run[4]), 'container started');
  assert.equal(eventLabel(run[6]), null);
  const [restart] = timeline([0, { type: 'container-restart', scenario: 'main', restartCount: 2 }]);
  assert.equal(eventLabel(restart), 'restart #2');
  const [disk] = timeline([
    0,
    {
      type: 'disk-limit',
      scenario: 'main',
      bytes: 270 * 1048576,
      files: 12,
      limitBytes: 256 * 1048576,
      limitFiles: 20_000,
    },
  ]);
  assert.equal(
    eventLabel(disk),
    'killed at its disk limit: 270 MiB written, more than the 256 MiB a container may write',
  );
  const signal = (extra: Record<string, unknown>) =>
    timeline([
      0,
      { type: 'signal', scenario: 'main', signal: 'SIGTERM', to: 7, toCommand: 'node worker.js', ...extra } as NewEvent,
    ])[0];
  const passedOn = signal({ by: 'process', from: 1, fromCommand: 'tini -- node worker.js' });
  assert.equal(eventLabel(passedOn), 'SIGTERM to PID 7 (node worker.js) from PID 1 (tini -- node worker.js)');
  assert.equal(
    eventLabel(signal({ signal: 'SIGKILL', by: 'kernel' })),
    'SIGKILL to PID 7 (node worker.js) from the kernel (PID 1 ended)',
  );
  assert.equal(eventLabel(signal({ to: 1, by: 'outside' })), null, "Docker's signal to PID 1 is said by its own event");
});

test("a run that could not be judged says why: the lab's words for a lost engine, the fault's own inside a sentence", () => {
  const lost = "The lab's Docker engine restarted or stopped during your run, so nothing was judged. Run again.";
  assert.equal(
    notJudgedBecause(
      timeline(
        [0, { type: 'run-start', exerciseId: 'x', runId: 'r1' }],
        [9, { type: 'platform-error', message: lost, forLearner: true }],
      ),
    ),
    lost,
  );
  assert.equal(
    notJudgedBecause(timeline([9, { type: 'platform-error', message: 'write EPIPE' }])),
    'The lab could not judge this run (write EPIPE). This is not about your files: try again.',
  );
  // A scenario's fault is that scenario's checks' business, and a run without a fault has nothing to say.
  assert.equal(
    notJudgedBecause(timeline([9, { type: 'platform-error', scenario: 'crash', message: 'gone' }])),
    undefined,
  );
  assert.equal(notJudgedBecause(timeline([0, { type: 'run-start', exerciseId: 'x', runId: 'r1' }])), undefined);
});
