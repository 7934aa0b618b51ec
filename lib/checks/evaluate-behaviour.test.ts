// The checks that judge behaviour however the learner wrote it: programs, wrappers, the stop signal's
// path, restarts inside the container, exit codes the program chose, PID and log files anywhere,
// values drawn per run and hints for what PID 1 was. Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CheckSpecSchema } from '../lessons/exercise-schema';
import type { NewEvent, ProcessInfo, TimelineEvent } from '../observe/timeline-event';
import { evaluateChecks } from './evaluate';

const p = (pid: number, ppid: number, argv: string[], exe?: string): ProcessInfo => ({
  pid,
  ppid,
  command: argv.join(' '),
  argv,
  state: 'S',
  ...(exe ? { exe } : {}),
});
const worker = { program: 'node', script: 'worker.js' };

/** Events of one scenario "main" after a build, each at the next t. */
function timeline(...events: NewEvent[]): TimelineEvent[] {
  const all: NewEvent[] = [
    { type: 'build-end', ok: true, durationMs: 1 },
    ...events.map((event) => ({ scenario: 'main', ...event }) as NewEvent),
  ];
  return all.map((event, seq) => ({ ...event, seq, t: seq * 100 }) as TimelineEvent);
}

function judge(assert_: Record<string, unknown>, events: TimelineEvent[], extra: Record<string, unknown> = {}) {
  const spec = CheckSpecSchema.parse({
    id: 'c',
    title: 't',
    scenario: 'main',
    assert: assert_,
    hint: 'the hint',
    ...extra,
  });
  return evaluateChecks([spec], events)[1];
}

/** A stop at the step "stop" with the tree as it was, then what followed. */
function stopped(tree: ProcessInfo[], ...after: NewEvent[]) {
  return timeline(
    { type: 'scenario-start', description: 'd' },
    { type: 'container-start' },
    { type: 'snapshot', processes: tree },
    { type: 'action-start', action: 'stop', kind: 'stop', detail: 'docker stop -t 4' },
    ...after,
    { type: 'action-end', action: 'stop', outcome: 'done', detail: '' },
  );
}

describe('signal-reaches', () => {
  const check = { type: 'signal-reaches', program: worker, after: 'stop' };
  test('the program as PID 1, or the child of an init or a supervisor as PID 1', () => {
    assert.equal(judge(check, stopped([p(1, 0, ['node', 'worker.js'])])).status, 'pass');
    assert.equal(
      judge(check, stopped([p(1, 0, ['tini', '--', 'node', 'worker.js']), p(7, 1, ['node', 'worker.js'])])).status,
      'pass',
    );
    assert.equal(
      judge(
        check,
        stopped([p(1, 0, ['/usr/bin/python3', '/usr/bin/supervisord', '-n']), p(7, 1, ['node', 'worker.js'])]),
      ).status,
      'pass',
    );
  });

  test('an init in front of a shell in front of the program fails, unless the init signals the whole group', () => {
    const tree = (init: string[]) => [
      p(1, 0, init),
      p(6, 1, ['/bin/sh', '-c', 'node worker.js']),
      p(7, 6, ['node', 'worker.js']),
    ];
    const refused = judge(check, stopped(tree(['tini', '--', '/bin/sh', '-c', 'node worker.js'])));
    assert.equal(refused.status, 'fail');
    assert.match(refused.observed, /child of PID 6 \(\/bin\/sh -c node worker\.js\), not of PID 1/);
    assert.equal(judge(check, stopped(tree(['tini', '-g', '--', '/bin/sh', '-c', 'node worker.js']))).status, 'pass');
    assert.equal(judge(check, stopped(tree(['dumb-init', '/bin/sh', '-c', 'node worker.js']))).status, 'pass');
    assert.equal(
      judge(check, stopped(tree(['/sbin/tini', '-e', '143', '-g', '--', 'sh', '-c', 'node worker.js']))).status,
      'pass',
      'an option with a value before -g',
    );
    assert.equal(
      judge(check, stopped(tree(['dumb-init', '--single-child', 'sh', '-c', 'node worker.js']))).status,
      'fail',
      'dumb-init told to signal its child only',
    );
  });

  test('a shell as PID 1 passes only if it passed the signal on', () => {
    const tree = [p(1, 0, ['sh', '-c', 'node worker.js & wait']), p(7, 1, ['node', 'worker.js'])];
    const ignoring = judge(
      check,
      stopped(tree, { type: 'container-die', exitCode: 137, oomKilled: false, willRestart: false }),
    );
    assert.equal(ignoring.status, 'fail');
    assert.equal(
      judge(check, stopped(tree, { type: 'container-die', exitCode: 0, oomKilled: false, willRestart: false })).status,
      'fail',
      'a trap that exits 0',
    );
    assert.equal(
      judge(check, stopped(tree, { type: 'container-die', exitCode: 143, oomKilled: false, willRestart: false }))
        .status,
      'pass',
      "the program's SIGTERM passed on",
    );
    assert.equal(
      judge(check, stopped(tree, { type: 'snapshot', processes: [tree[0]] })).status,
      'pass',
      'the program ended while the shell ran',
    );
    assert.equal(
      judge(check, stopped(tree, { type: 'snapshot', processes: [{ ...tree[0], exiting: true }] })).status,
      'fail',
      'the program ended while the shell was exiting: the kernel kills the rest of a container whose PID 1 exits',
    );
  });
});

describe('programs, not their text', () => {
  test('PID 1 is the program only if no copy of it runs below (a wrapper of the same name)', () => {
    const settled = (processes: ProcessInfo[]) =>
      timeline(
        { type: 'container-start' },
        { type: 'snapshot', processes },
        { type: 'action-start', action: 'settled', kind: 'wait', detail: '' },
        { type: 'action-end', action: 'settled', outcome: 'done', detail: '' },
      );
    const check = { type: 'pid1-command', matches: { program: 'node', script: 'server.js' }, at: 'settled' };
    assert.equal(judge(check, settled([p(1, 0, ['/usr/bin/node', '/app/server.js'])])).status, 'pass');
    assert.equal(
      judge(check, settled([p(1, 0, ['node', 'server.js']), p(9, 1, ['/usr/bin/node', '/app/lib/server.js'])])).status,
      'fail',
    );
    assert.equal(
      judge(check, settled([p(1, 0, ['node', 'server.js', '-f', '/dev/null'], '/usr/bin/tail')])).status,
      'fail',
      'exec -a node tail',
    );
  });

  test('the hint fits what PID 1 was', () => {
    const events = timeline(
      { type: 'container-start' },
      { type: 'snapshot', processes: [p(1, 0, ['tini', '--', 'node', 'server.js']), p(7, 1, ['node', 'server.js'])] },
      { type: 'action-start', action: 'settled', kind: 'wait', detail: '' },
      { type: 'action-end', action: 'settled', outcome: 'done', detail: '' },
    );
    const result = judge(
      { type: 'pid1-command', matches: { program: 'node', script: 'server.js' }, at: 'settled' },
      events,
      { hints: { init: 'the init hint', shell: 'the shell hint' } },
    );
    assert.equal(result.hint, 'the init hint');
  });
});

describe('restarts and exit codes', () => {
  test('a program started again inside one start of the container is seen, by process and by line', () => {
    const events = timeline(
      { type: 'container-start' },
      {
        type: 'snapshot',
        processes: [p(1, 0, ['sh', '/entrypoint.sh']), { ...p(7, 1, ['node', 'server.js']), hostPid: 100 }],
      },
      { type: 'output', stream: 'stdout', text: 'server listening on port 8080' },
      {
        type: 'snapshot',
        processes: [p(1, 0, ['sh', '/entrypoint.sh']), { ...p(9, 1, ['node', 'server.js']), hostPid: 102 }],
      },
      { type: 'output', stream: 'stdout', text: 'server listening on port 8080' },
    );
    assert.equal(
      judge({ type: 'started-once-per-start', program: { program: 'node', script: 'server.js' } }, events).status,
      'fail',
    );
    assert.equal(judge({ type: 'output-once-per-start', matches: 'server listening' }, events).status, 'fail');
  });

  test('each exit carries the code the program said it chose', () => {
    const crash = (code: number): NewEvent[] => [
      { type: 'container-start' },
      { type: 'output', stream: 'stderr', text: `server: exiting with code 57` },
      { type: 'container-die', exitCode: code, oomKilled: false, willRestart: false },
    ];
    const check = { type: 'exit-code-as-logged', matches: 'exiting with code (\\d+)' };
    assert.equal(judge(check, timeline(...crash(57))).status, 'pass');
    const hidden = judge(check, timeline(...crash(3)));
    assert.equal(hidden.status, 'fail');
    assert.match(hidden.observed, /the program chose 57, the container reported 3/);
  });

  test('a drawn value stands for ${NAME} in codes, and the learner is told it', () => {
    const events = timeline(
      { type: 'scenario-start', description: 'd', drawn: { CRASH_CODE: '47' } },
      { type: 'container-start' },
      { type: 'container-die', exitCode: 47, oomKilled: false, willRestart: false },
    );
    const result = judge({ type: 'exit-code', codes: ['${CRASH_CODE}'] }, events);
    assert.equal(result.status, 'pass');
    assert.match(result.expected, /drawn for this run: CRASH_CODE=47/);
  });
});

describe('PID files and log files anywhere', () => {
  const written = (files: { path: string; head: string }[], moment?: 'before-stop') => [
    {
      type: 'fs-changes',
      changes: files.map((file) => ({ kind: 'added', path: file.path })),
      ...(moment ? { moment } : {}),
    } as NewEvent,
    {
      type: 'file-heads',
      files: files.map((file) => ({ ...file, size: file.head.length })),
      ...(moment ? { moment } : {}),
    } as NewEvent,
  ];
  const run = (...events: NewEvent[]) =>
    timeline(
      { type: 'container-start' },
      { type: 'snapshot', processes: [{ ...p(1, 0, ['node', 'd.js']), hostPid: 4242 }, p(12, 1, ['node', 'w.js'])] },
      ...events,
    );

  test('a PID file by its name, or by holding a PID of the container in the ways programs write one', () => {
    for (const file of [
      { path: '/run/app.pid', head: 'x' },
      { path: '/tmp/state', head: '12\n' },
      { path: '/app/app.lock', head: '{"pid":1,"started":"now"}' },
      { path: '/app/daemon.state', head: 'pid=4242\n' },
    ]) {
      assert.equal(judge({ type: 'no-pid-file' }, run(...written([file]))).status, 'fail', file.path);
    }
    assert.equal(
      judge(
        { type: 'no-pid-file' },
        run(...written([{ path: '/app/out.txt', head: 'server listening as PID 1\nnext line' }])),
      ).status,
      'pass',
      'a log line that mentions a PID is not a PID file',
    );
    assert.equal(
      judge(
        { type: 'no-pid-file' },
        run(...written([{ path: '/run/app.pid', head: '1' }], 'before-stop'), ...written([])),
      ).status,
      'fail',
      'removed on the way out, it was still written',
    );
  });

  test("a log file by its name, its place, or the app's lines in it", () => {
    const check = { type: 'no-log-file', lines: 'tick \\d+' };
    assert.equal(judge(check, run(...written([{ path: '/app/app.log', head: '' }]))).status, 'fail');
    assert.equal(judge(check, run(...written([{ path: '/var/log/myapp.error', head: '' }]))).status, 'fail');
    assert.equal(judge(check, run(...written([{ path: '/dev/shm/out', head: 'tick 1\ntick 2\n' }]))).status, 'fail');
    assert.equal(judge(check, run(...written([{ path: '/tmp/cache.json', head: '{}' }]))).status, 'pass');
  });
});
