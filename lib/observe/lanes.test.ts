import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endingShort, scenarioLanes } from './lanes';
import type { NewEvent, ProcessInfo, TimelineEvent } from './timeline-event';

const S = 'stop';
const proc = (pid: number, ppid: number, command: string, state = 'S'): ProcessInfo => ({ pid, ppid, command, state });
const timeline = (...entries: [number, NewEvent][]): TimelineEvent[] =>
  entries.map(([t, event], seq) => ({ ...event, seq, t }) as TimelineEvent);

const sh = proc(1, 0, '/bin/sh -c node server.js');
const node = proc(7, 1, 'node server.js');

// A shell in front of node, stopped: SIGTERM reaches the shell, which ignores it; SIGKILL after 5 s.
const stopped = timeline(
  [1000, { type: 'scenario-start', scenario: S, description: 'docker stop' }],
  [1100, { type: 'container-start', scenario: S }],
  [1200, { type: 'process-spawn', scenario: S, process: sh }],
  [1201, { type: 'process-spawn', scenario: S, process: node }],
  [1202, { type: 'snapshot', scenario: S, processes: [sh, node] }],
  [2000, { type: 'action-start', scenario: S, action: 'step-2', kind: 'stop', detail: 'docker stop -t 5' }],
  [2010, { type: 'container-signal', scenario: S, signal: 'SIGTERM' }],
  [7010, { type: 'container-signal', scenario: S, signal: 'SIGKILL' }],
  // The sampler notices after the engine's death time.
  [7030, { type: 'process-exit', scenario: S, process: sh }],
  [7030, { type: 'process-exit', scenario: S, process: node }],
  [7030, { type: 'snapshot', scenario: S, processes: [] }],
  [
    7020,
    { type: 'container-die', scenario: S, exitCode: 137, signal: 'SIGKILL', oomKilled: false, willRestart: false },
  ],
  [7040, { type: 'container-stop', scenario: S }],
  [7050, { type: 'action-end', scenario: S, action: 'step-2', outcome: 'done', detail: '' }],
  [7100, { type: 'scenario-end', scenario: S }],
);

test('a stop: rows like pstree, PID 1 killed by SIGKILL, its child with it, the grace period annotated', () => {
  const lanes = scenarioLanes(stopped, S);
  assert.deepEqual(
    lanes.rows.map((row) => [row.pid, row.depth, row.command]),
    [
      [1, 0, '/bin/sh -c node server.js'],
      [7, 1, 'node server.js'],
    ],
  );
  const [pid1, child] = lanes.rows.map((row) => row.segments[0]);
  assert.deepEqual(pid1.ending, { kind: 'signal', signal: 'SIGKILL', code: 137 });
  assert.equal(pid1.end, 7020, 'the bar ends at the engine-stamped death, not when the sample noticed');
  assert.deepEqual(child.ending, { kind: 'with-container' });
  assert.equal(endingShort(pid1.ending!), 'SIGKILL (137)');
  assert.deepEqual(
    lanes.annotations.map((a) => [a.t, a.kind]),
    [
      [2000, 'stop'],
      [2010, 'signal'],
      [7010, 'sigkill'],
    ],
    'one stop (the step, not again from the engine), SIGTERM, then SIGKILL',
  );
  assert.match(lanes.annotations[2].label, /5\.0 s after SIGTERM/);
  assert.deepEqual(
    lanes.steps.map((s) => [s.title, s.start, s.end]),
    [['docker stop', 2000, 7050]],
  );
  assert.equal(lanes.ended, true);
  assert.equal(lanes.bands[0].exit?.code, 137);
  assert.deepEqual(lanes.bands[0].grace, { from: 2010, to: 7010 }, 'the grace period: SIGTERM until SIGKILL');
});

test('a stop from the terminal (no step) is annotated at its first signal', () => {
  const terminal = stopped.filter((event) => event.type !== 'action-start' && event.type !== 'action-end');
  const lanes = scenarioLanes(terminal, S);
  const stop = lanes.annotations.find((a) => a.kind === 'stop');
  assert.equal(stop?.t, 2010);
});

test('a restart is a new band; the same program gets its second bar on the same row', () => {
  const app = proc(1, 0, 'node app.js');
  const events = timeline(
    [0, { type: 'scenario-start', scenario: S, description: '' }],
    [100, { type: 'container-start', scenario: S }],
    [150, { type: 'process-spawn', scenario: S, process: app }],
    [151, { type: 'snapshot', scenario: S, processes: [app] }],
    [900, { type: 'process-exit', scenario: S, process: app }],
    [900, { type: 'snapshot', scenario: S, processes: [] }],
    [890, { type: 'container-die', scenario: S, exitCode: 1, oomKilled: false, willRestart: true }],
    [1010, { type: 'container-restart', scenario: S, restartCount: 1 }],
    [1010, { type: 'container-start', scenario: S }],
    [1060, { type: 'process-spawn', scenario: S, process: app }],
    [1061, { type: 'snapshot', scenario: S, processes: [app] }],
  );
  const lanes = scenarioLanes(events, S, 2500);
  assert.equal(lanes.bands.length, 2);
  assert.equal(lanes.bands[0].exit?.willRestart, true);
  assert.equal(lanes.rows.length, 1);
  const [first, second] = lanes.rows[0].segments;
  assert.deepEqual(first.ending, { kind: 'exit', code: 1 });
  assert.equal(first.end, 890);
  assert.equal(second.band, 1);
  assert.equal(second.end, undefined, 'still running');
  assert.equal(lanes.end, 2500, 'a live scenario reaches the clock');
  assert.ok(lanes.annotations.some((a) => a.kind === 'restart'));
});

test('zombies, exec and processes that leave on their own', () => {
  const init = proc(1, 0, '/bin/sh /start.sh');
  const child = proc(8, 1, 'sleep 1');
  const events = timeline(
    [0, { type: 'container-start', scenario: S }],
    [10, { type: 'process-spawn', scenario: S, process: init }],
    [11, { type: 'process-spawn', scenario: S, process: child }],
    [12, { type: 'snapshot', scenario: S, processes: [init, child] }],
    // As the sampler reports it: exited when it becomes a zombie, then simply gone once reaped.
    [1100, { type: 'process-exit', scenario: S, process: child }],
    [1100, { type: 'snapshot', scenario: S, processes: [init, { ...child, state: 'Z', command: '[sleep]' }] }],
    [1500, { type: 'snapshot', scenario: S, processes: [init] }],
    [1600, { type: 'process-spawn', scenario: S, process: proc(1, 0, 'node server.js') }],
  );
  const lanes = scenarioLanes(events, S);
  const [pid1, sleeper] = lanes.rows;
  assert.deepEqual(pid1.segments[0].execs, [{ t: 1600, command: 'node server.js' }]);
  assert.equal(sleeper.segments[0].zombieFrom, 1100);
  assert.deepEqual(sleeper.segments[0].ending, { kind: 'reaped' });
  assert.equal(sleeper.segments[0].end, 1500);
});

test('processes a sample found gone before the engine-stamped death still end as PID 1 did', () => {
  const early = stopped.map((event) =>
    event.type === 'process-exit' || (event.type === 'snapshot' && event.processes.length === 0)
      ? { ...event, t: 7015 }
      : event,
  );
  const [pid1, child] = scenarioLanes(early, S).rows.map((row) => row.segments[0]);
  assert.deepEqual(pid1.ending, { kind: 'signal', signal: 'SIGKILL', code: 137 });
  assert.equal(pid1.end, 7015);
  assert.deepEqual(child.ending, { kind: 'with-container' });
});

test('PID 1 seen gone a sample before its child: PID 1 ends as Docker says, the child with it', () => {
  const staggered = timeline(
    [0, { type: 'container-start', scenario: S }],
    [10, { type: 'process-spawn', scenario: S, process: sh }],
    [10, { type: 'process-spawn', scenario: S, process: node }],
    [11, { type: 'snapshot', scenario: S, processes: [sh, node] }],
    [5000, { type: 'process-exit', scenario: S, process: sh }],
    [5000, { type: 'snapshot', scenario: S, processes: [node] }],
    [5010, { type: 'process-exit', scenario: S, process: node }],
    [5010, { type: 'snapshot', scenario: S, processes: [] }],
    [
      5005,
      { type: 'container-die', scenario: S, exitCode: 137, signal: 'SIGKILL', oomKilled: false, willRestart: false },
    ],
  );
  const [pid1, child] = scenarioLanes(staggered, S).rows.map((row) => row.segments[0]);
  assert.deepEqual(pid1.ending, { kind: 'signal', signal: 'SIGKILL', code: 137 });
  assert.equal(pid1.end, 5000);
  assert.deepEqual(child.ending, { kind: 'with-container' });
  assert.equal(child.end, 5005);
});

test('signals after the container died, and a stop step that was skipped, annotate nothing', () => {
  const app = proc(1, 0, 'node app.js');
  const events = timeline(
    [0, { type: 'container-start', scenario: S }],
    [10, { type: 'process-spawn', scenario: S, process: app }],
    [500, { type: 'container-die', scenario: S, exitCode: 0, oomKilled: false, willRestart: false }],
    [600, { type: 'action-start', scenario: S, action: 'stop', kind: 'stop', detail: 'docker stop -t 5' }],
    [601, { type: 'action-end', scenario: S, action: 'stop', outcome: 'skipped', detail: 'not running' }],
    [700, { type: 'container-signal', scenario: S, signal: 'SIGKILL' }],
  );
  assert.deepEqual(scenarioLanes(events, S).annotations, []);
});

test('a signal one process of the container sent another is marked; the kernel and Docker are not', () => {
  const events = timeline(
    [1000, { type: 'scenario-start', scenario: S, description: 'docker stop' }],
    [1100, { type: 'container-start', scenario: S }],
    [1200, { type: 'snapshot', scenario: S, processes: [sh, node] }],
    [2010, { type: 'container-signal', scenario: S, signal: 'SIGTERM' }],
    [2011, { type: 'signal', scenario: S, signal: 'SIGTERM', to: 1, toCommand: sh.command, by: 'outside' }],
    [
      2012,
      {
        type: 'signal',
        scenario: S,
        signal: 'SIGKILL',
        to: 7,
        toCommand: node.command,
        from: 1,
        fromCommand: sh.command,
        by: 'process',
      },
    ],
    [
      2013,
      { type: 'signal', scenario: S, signal: 'SIGKILL', to: 7, toCommand: node.command, by: 'kernel', ignored: true },
    ],
  );
  const marks = scenarioLanes(events, S).annotations.filter((a) => a.t > 2010);
  assert.deepEqual(
    marks.map((a) => [a.kind, a.short, a.label]),
    [['sigkill', 'SIGKILL → 7', 'PID 1 (/bin/sh -c node server.js) sent SIGKILL to PID 7 (node server.js)']],
  );
});

test('traced: a process that ended with PID 1 after a signal passed on was not killed with it', () => {
  const run = (...after: [number, NewEvent][]) =>
    scenarioLanes(
      timeline(
        [1000, { type: 'scenario-start', scenario: S, description: 'docker stop' }],
        [1001, { type: 'signal-trace', scenario: S }],
        [1100, { type: 'container-start', scenario: S }],
        [1200, { type: 'process-spawn', scenario: S, process: sh }],
        [1201, { type: 'process-spawn', scenario: S, process: node }],
        [2010, { type: 'container-signal', scenario: S, signal: 'SIGTERM' }],
        ...after,
        [2100, { type: 'process-exit', scenario: S, process: sh }],
        [2100, { type: 'process-exit', scenario: S, process: node }],
        [2100, { type: 'snapshot', scenario: S, processes: [] }],
        [
          2090,
          {
            type: 'container-die',
            scenario: S,
            exitCode: 143,
            signal: 'SIGTERM',
            oomKilled: false,
            willRestart: false,
          },
        ],
      ),
      S,
    ).rows.find((row) => row.pid === 7)!.segments[0].ending;
  const passedOn = {
    type: 'signal',
    scenario: S,
    signal: 'SIGTERM',
    to: 7,
    toCommand: node.command,
    from: 1,
    fromCommand: sh.command,
    by: 'process',
  } as const;
  assert.deepEqual(run([2011, passedOn]), { kind: 'after-signal', signal: 'SIGTERM', from: 1 });
  const killed = {
    type: 'signal',
    scenario: S,
    signal: 'SIGKILL',
    to: 7,
    toCommand: node.command,
    by: 'kernel',
  } as const;
  assert.deepEqual(run([2011, passedOn], [2050, killed]), { kind: 'with-container' });
  assert.deepEqual(run(), { kind: 'with-container' }, 'no signal seen: as the samples said');
});

test('a process that signals itself (Node raising SIGTERM again to die of it) is not marked', () => {
  const self = timeline(
    [1000, { type: 'scenario-start', scenario: S, description: 'docker stop' }],
    [1100, { type: 'container-start', scenario: S }],
    [
      2014,
      {
        type: 'signal',
        scenario: S,
        signal: 'SIGTERM',
        to: 7,
        toCommand: node.command,
        from: 7,
        fromCommand: node.command,
        by: 'process',
      },
    ],
  );
  assert.deepEqual(scenarioLanes(self, S).annotations, []);
});
