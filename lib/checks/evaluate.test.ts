import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckSpecSchema, type CheckSpec } from '../lessons/exercise-schema';
import type { ActionOutcome, FileChange, NewEvent, ProcessInfo, TimelineEvent } from '../observe/timeline-event';
import { overallStatus, type CheckResult } from './check-result';
import { evaluateChecks } from './evaluate';

// --- helpers -----------------------------------------------------------------------------------

function proc(pid: number, ppid: number, command: string, state = 'S'): ProcessInfo {
  return { pid, ppid, command, state };
}

/** A hand-made timeline: each event gets the next seq, the given t, and the current scenario. */
class Run {
  readonly events: TimelineEvent[] = [];
  private scenario: string | undefined;

  add(t: number, event: NewEvent): this {
    const scenario = event.scenario ?? this.scenario;
    this.events.push({ ...event, ...(scenario ? { scenario } : {}), seq: this.events.length, t } as TimelineEvent);
    return this;
  }

  /** Run start and a successful build. */
  built(durationMs = 1234): this {
    this.scenario = undefined;
    return this.add(0, { type: 'run-start', exerciseId: 'lesson/exercise', runId: 'r1' })
      .add(1, { type: 'build-start' })
      .add(durationMs, { type: 'build-end', ok: true, imageId: 'sha256:abc', durationMs });
  }

  /** Starts a scenario: later events belong to it. */
  in(scenario: string, t: number): this {
    this.scenario = scenario;
    return this.add(t, { type: 'scenario-start', description: `the ${scenario} scenario` });
  }

  start(t: number): this {
    return this.add(t, { type: 'container-start', hostPid: 4242 });
  }

  die(t: number, exitCode: number, willRestart = false): this {
    return this.add(t, { type: 'container-die', exitCode, oomKilled: false, willRestart });
  }

  restart(t: number, restartCount: number): this {
    return this.add(t, { type: 'container-restart', restartCount });
  }

  snapshot(t: number, ...processes: ProcessInfo[]): this {
    return this.add(t, { type: 'snapshot', processes });
  }

  stepStart(t: number, action: string, kind = 'wait'): this {
    return this.add(t, { type: 'action-start', action, kind, detail: `${kind} ${action}` });
  }

  stepEnd(t: number, action: string, outcome: ActionOutcome = 'done', detail = 'done'): this {
    return this.add(t, { type: 'action-end', action, outcome, detail });
  }

  step(t: number, action: string, outcome: ActionOutcome = 'done', detail = 'done'): this {
    return this.stepStart(t, action).stepEnd(t + 10, action, outcome, detail);
  }

  output(t: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): this {
    return this.add(t, { type: 'output', stream, text });
  }

  spawn(t: number, process: ProcessInfo): this {
    return this.add(t, { type: 'process-spawn', process });
  }

  fsChanges(t: number, ...changes: FileChange[]): this {
    return this.add(t, { type: 'fs-changes', changes });
  }

  end(t: number): this {
    return this.add(t, { type: 'scenario-end' });
  }

  /** The seq of the last event of a type. */
  seqOf(type: TimelineEvent['type']): number {
    return this.events.filter((event) => event.type === type).at(-1)!.seq;
  }
}

/** A check spec through the schema, so defaults apply. */
function check(id: string, assertion: Record<string, unknown>, options: { scenario?: string; bonus?: boolean } = {}): CheckSpec {
  return CheckSpecSchema.parse({
    id,
    title: `title of ${id}`,
    scenario: options.scenario ?? 'main',
    assert: assertion,
    hint: `hint for ${id}`,
    ...(options.bonus === undefined ? {} : { bonus: options.bonus }),
  });
}

/** Evaluates one check over a run that built; returns its result. */
function judge(assertion: Record<string, unknown>, run: Run, options: { scenario?: string } = {}): CheckResult {
  const results = evaluateChecks([check('the-check', assertion, options)], run.events);
  assert.equal(results.length, 2);
  assert.equal(results[0].status, 'pass', 'the build check should pass');
  return results[1];
}

/** A running container with `processes` seen at step "settled". */
function runningWith(...processes: ProcessInfo[]): Run {
  return new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .stepStart(2020, 'settled')
    .snapshot(2300, ...processes)
    .stepEnd(2400, 'settled')
    .end(2500);
}

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
    [check('b', { type: 'running-at', at: 'settled' }), check('a', { type: 'running-at', at: 'settled' }, { bonus: true })],
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
  const results = evaluateChecks([check('one', { type: 'running-at', at: 'up' }), check('two', { type: 'exit-code' }, { bonus: true })], run.events);
  const [build, one, two] = results;
  assert.equal(build.status, 'fail');
  assert.equal(build.observed, 'Dockerfile:3: FROM ubuntu is not allowed; (files): 20 files; the limit is 16');
  assert.equal(build.message, 'refused before building: Dockerfile:3: FROM ubuntu is not allowed; (files): 20 files; the limit is 16');
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
  run.add(100, { type: 'build-end', ok: false, error: "The command '/bin/sh -c false' returned a non-zero code: 1", file: 'Dockerfile', line: 4, durationMs: 99 });
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
  const run = new Run().add(0, { type: 'build-start' }).add(5, { type: 'build-end', ok: false, error: 'no space left', durationMs: 5 });
  const [build] = evaluateChecks([], run.events);
  assert.equal(build.status, 'fail');
  assert.equal(build.observed, 'no space left');
  assert.deepEqual(build.evidence?.buildLog, []);
});

test('a build that never finished makes the build check and every check an error', () => {
  const run = new Run().add(0, { type: 'build-start' }).add(5, { type: 'platform-error', message: 'engine unreachable' });
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

test('a platform-error in a scenario makes that scenario\'s checks errors, and only those', () => {
  const run = runningWith(proc(1, 0, 'node server.js'))
    .in('crash', 3000)
    .add(3010, { type: 'platform-error', message: 'the container could not be created' });
  const results = evaluateChecks(
    [check('main-check', { type: 'running-at', at: 'settled' }), check('crash-check', { type: 'exit-code', codes: [137] }, { scenario: 'crash' })],
    run.events,
  );
  assert.equal(results[1].status, 'pass');
  assert.equal(results[2].status, 'error');
  assert.equal(results[2].observed, 'the container could not be created');
  assert.equal(results[2].message, 'the lab could not observe this: the container could not be created');
  assert.equal(results[2].evidence?.type, 'platform-error');
  assert.equal(overallStatus(results), 'error');
});

test('a check naming a step that never ran fails and says so', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const result = judge({ type: 'pid1-command', matches: '^node', at: 'stop' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'step "stop" never ran');
  assert.equal(result.expected, 'title of the-check');
  assert.equal(result.hint, 'hint for the-check');
});

test('a step after the scenario deadline fails, naming the deadline', () => {
  const run = runningWith(proc(1, 0, 'node server.js')).add(2600, { type: 'deadline', what: 'scenario', limitMs: 45000 });
  const result = judge({ type: 'running-at', at: 'stop' }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the scenario hit its 45000 ms deadline before step "stop"');
});

test('a check of a scenario that never ran fails: its steps never ran', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const result = judge({ type: 'exited-within', after: 'kill', withinMs: 1000 }, run, { scenario: 'crash' });
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'step "kill" never ran');
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
  assert.equal(judge({ type: 'pid1-command', matches: '^node', at: 'settled' }, run, { scenario: 'other' }).status, 'pass');
});

// --- pid1-command ------------------------------------------------------------------------------

test('pid1-command passes when PID 1 runs the expected command', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const result = judge({ type: 'pid1-command', matches: '^node .*server\\.js', at: 'settled' }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'PID 1 is "node server.js"');
  assert.equal(result.expected, 'PID 1 runs a command matching /^node .*server\\.js/');
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
  assert.equal(result.message, 'expected PID 1 runs a command matching /^node/; observed PID 1 is "/bin/sh -c node server.js"');
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
  const result = judge({ type: 'process-present', matches: 'worker\\.js', at: 'settled' }, runningWith(proc(1, 0, 'supervisord'), proc(8, 1, 'node worker.js')));
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'PID 1 (parent 0) supervisord; PID 8 (parent 1) node worker.js');
  assert.equal(result.expected, 'a process matching /worker\\.js/ at step "settled"');
});

test('process-present fails when only a zombie matches', () => {
  const result = judge({ type: 'process-present', matches: 'worker', at: 'settled' }, runningWith(proc(1, 0, 'supervisord'), proc(8, 1, '[worker]', 'Z')));
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
  const result = judge({ type: 'process-absent', matches: 'sleep', at: 'settled' }, runningWith(proc(1, 0, 'node'), proc(9, 1, '[sleep]', 'Z')));
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'no process matching /sleep/ at step "settled"');
});

test('process-absent fails when a live process matches', () => {
  const result = judge({ type: 'process-absent', matches: 'sleep', at: 'settled' }, runningWith(proc(1, 0, 'sh'), proc(9, 1, 'sleep infinity')));
  assert.equal(result.status, 'fail');
  assert.match(result.observed, /PID 9 \(parent 1\) sleep infinity/);
});

// --- child-of ----------------------------------------------------------------------------------

test('child-of with parentPid1 passes when the child\'s parent is PID 1', () => {
  const result = judge({ type: 'child-of', child: 'server\\.js', parentPid1: true, at: 'settled' }, runningWith(proc(1, 0, 'supervisord'), proc(7, 1, 'node server.js')));
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'a process matching /server\\.js/ whose parent is PID 1');
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
  assert.equal(judge({ type: 'child-of', child: '^node', at: 'settled' }, runningWith(proc(1, 0, 'tini'), proc(5, 1, 'node w.js'))).status, 'pass');
  assert.equal(judge({ type: 'child-of', child: '^node', at: 'settled' }, runningWith(proc(1, 0, 'tini'), proc(4, 1, 'sh'), proc(5, 4, 'node w.js'))).status, 'fail');
});

test('child-of with a parent pattern passes when the child\'s parent matches it', () => {
  const processes = [proc(1, 0, 'sh entrypoint.sh'), proc(5, 1, '/usr/bin/python3 /usr/bin/supervisord'), proc(6, 5, 'node worker.js')];
  const result = judge({ type: 'child-of', child: 'worker', parent: 'supervisord', at: 'settled' }, runningWith(...processes));
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'a process matching /worker/ whose parent is the process matching /supervisord/');
});

test('child-of with a parent pattern fails when the child has another parent', () => {
  const processes = [proc(1, 0, 'supervisord'), proc(5, 1, 'sh -c node worker.js'), proc(6, 5, 'node worker.js')];
  const result = judge({ type: 'child-of', child: '^node worker', parent: 'supervisord', at: 'settled' }, runningWith(...processes));
  assert.equal(result.status, 'fail');
});

test('child-of does not count a zombie child', () => {
  const result = judge({ type: 'child-of', child: 'worker', parentPid1: true, at: 'settled' }, runningWith(proc(1, 0, 'supervisord'), proc(6, 1, '[worker]', 'Z')));
  assert.equal(result.status, 'fail');
});

// --- running-at --------------------------------------------------------------------------------

test('running-at passes while the container runs', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const result = judge({ type: 'running-at', at: 'settled' }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'running: PID 1 (parent 0) node server.js');
  assert.equal(result.expected, 'the container is running at step "settled" (2400 ms)');
  assert.equal(result.evidence?.type, 'snapshot');
});

test('running-at fails after the container exited, pointing at the exit', () => {
  const run = new Run().built().in('main', 2000).start(2010).snapshot(2050, proc(1, 0, 'node my-daemon.js')).die(2100, 0).step(5000, 'after-5s');
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
  assert.equal(result.expected, 'the container exits within 2000 ms of step "stop" with 0 = success');
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
  assert.equal(result.expected, 'the container exits within 2000 ms of step "stop" with 0 = success or 143 = killed by SIGTERM (128 + 15)');
});

test('exited-within accepts any code when no codes are given', () => {
  assert.equal(judge({ type: 'exited-within', after: 'stop', withinMs: 2000 }, stopped(3100, 1)).status, 'pass');
});

test('exited-within fails when the step was skipped', () => {
  const run = new Run().built().in('main', 2000).start(2010).step(3000, 'kill', 'skipped', 'no process matched ^node').end(3100);
  const result = judge({ type: 'exited-within', after: 'kill', withinMs: 1000 }, run);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the step could not run: no process matched ^node');
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
  const run = new Run().built().in('main', 2000).start(2010).die(2100, 0).restart(2200, 1).start(2210).step(3000, 'stop').end(9000);
  assert.equal(judge({ type: 'exited-within', after: 'stop', withinMs: 1000 }, run).status, 'fail');
});

// --- exit-code ---------------------------------------------------------------------------------

function exits(...codes: number[]): Run {
  const run = new Run().built().in('main', 2000);
  codes.forEach((code, i) => {
    run.start(2100 + i * 1000).die(2500 + i * 1000, code, i < codes.length - 1);
    if (i < codes.length - 1) run.restart(2600 + i * 1000, i + 1);
  });
  return run.end(9000);
}

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
  assert.equal(judge({ type: 'restart-count', min: 1, max: 1 }, exits(1, 0)).expected, 'Docker restarts the container exactly 1 time(s)');
});

test('restart-count with no restarts points at the last exit', () => {
  const result = judge({ type: 'restart-count', min: 1 }, exits(0));
  assert.equal(result.status, 'fail');
  assert.equal(result.evidence?.type, 'container-die');
});

// --- output-contains ---------------------------------------------------------------------------

function printed(...lines: [number, string, 'stdout' | 'stderr'][]): Run {
  const run = new Run().built().in('main', 2000).start(3000);
  for (const [t, text, stream] of lines) run.output(t, text, stream);
  return run.end(9000);
}

test('output-contains looks at stdout by default', () => {
  const run = printed([3100, 'listening on 8080', 'stdout']);
  const result = judge({ type: 'output-contains', matches: 'listening' }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'stdout at 100 ms: listening on 8080');
  assert.equal(result.expected, 'a line on stdout matching /listening/');
  assert.equal(result.evidence?.type, 'output');
  assert.equal(judge({ type: 'output-contains', matches: 'listening' }, printed([3100, 'listening', 'stderr'])).status, 'fail');
});

test('output-contains with stream stderr ignores stdout', () => {
  assert.equal(judge({ type: 'output-contains', stream: 'stderr', matches: 'boom' }, printed([3100, 'boom', 'stderr'])).status, 'pass');
  assert.equal(judge({ type: 'output-contains', stream: 'stderr', matches: 'boom' }, printed([3100, 'boom', 'stdout'])).status, 'fail');
});

test('output-contains with stream any reads both', () => {
  const result = judge({ type: 'output-contains', stream: 'any', matches: 'boom' }, printed([3100, 'boom', 'stderr']));
  assert.equal(result.status, 'pass');
  assert.equal(result.expected, 'a line on stdout or stderr matching /boom/');
});

test('output-contains withinMs counts from the first container start', () => {
  const spec = { type: 'output-contains', matches: 'ready', withinMs: 500 };
  assert.equal(judge(spec, printed([3500, 'ready', 'stdout'])).status, 'pass');
  const late = judge(spec, printed([3501, 'ready', 'stdout']));
  assert.equal(late.status, 'fail');
  assert.equal(late.expected, 'a line on stdout matching /ready/ within 500 ms of the start');
  // After a restart, a prompt line is still late: the clock started at the first start.
  const restarted = new Run().built().in('main', 2000).start(3000).die(3100, 1, true).restart(3200, 1).start(6000).output(6100, 'ready').end(9000);
  assert.equal(judge(spec, restarted).status, 'fail');
});

test('output-contains reports the last lines when none matches', () => {
  const result = judge({ type: 'output-contains', matches: 'ready' }, printed([3100, 'a', 'stdout'], [3200, 'b', 'stdout'], [3300, 'c', 'stdout'], [3400, 'd', 'stdout']));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, '4 line(s), none matching; last: stdout: b | stdout: c | stdout: d');
});

test('output-contains reports when nothing was written', () => {
  const result = judge({ type: 'output-contains', matches: 'ready' }, printed());
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'nothing was written there');
  assert.equal(result.evidence, undefined);
});

// --- no-file-created ---------------------------------------------------------------------------

function changed(...changes: FileChange[]): Run {
  return new Run().built().in('main', 2000).start(2010).die(3000, 0).fsChanges(3100, ...changes).end(3200);
}

test('no-file-created fails for an added file that matches', () => {
  const result = judge({ type: 'no-file-created', pattern: '\\.pid$' }, changed({ kind: 'added', path: '/app/server.pid' }, { kind: 'added', path: '/tmp/x' }));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'added /app/server.pid');
  assert.equal(result.evidence?.type, 'fs-changes');
});

test('no-file-created fails for a changed file that matches', () => {
  const result = judge({ type: 'no-file-created', pattern: '^/var/log/' }, changed({ kind: 'changed', path: '/var/log/app.log' }));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'changed /var/log/app.log');
});

test('no-file-created ignores deleted files and unrelated paths', () => {
  const result = judge({ type: 'no-file-created', pattern: '\\.pid$' }, changed({ kind: 'deleted', path: '/run/app.pid' }, { kind: 'added', path: '/tmp/cache' }));
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'no such path in the filesystem diff');
});

test('no-file-created fails when the filesystem diff is missing', () => {
  const run = new Run().built().in('main', 2000).end(2100);
  const result = judge({ type: 'no-file-created', pattern: '\\.pid$' }, run);
  assert.equal(result.status, 'fail');
  assert.match(result.observed, /could not be read/);
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
  return run.stepEnd(Math.max(3010, (spawnAt ?? 0) + 10), 'kill', outcome, outcome === 'skipped' ? 'no process matched worker' : 'sent SIGKILL').end(9000);
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
  const result = judge({ type: 'process-respawned', matches: 'worker', after: 'kill', withinMs: 2000 }, respawn(3500, 'node server.js'));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'no such process appeared');
  assert.equal(judge({ type: 'process-respawned', matches: 'worker', after: 'kill', withinMs: 2000 }, respawn(null)).status, 'fail');
});

test('process-respawned fails when the step was skipped', () => {
  const result = judge({ type: 'process-respawned', matches: 'worker', after: 'kill', withinMs: 2000 }, respawn(null, 'x', 'skipped'));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the step could not run: no process matched worker');
});

// --- exec-result -------------------------------------------------------------------------------

function execd(result: { exitCode: number; output: string } | null, action = 'probe'): Run {
  const run = new Run().built().in('main', 2000).start(2010).stepStart(3000, 'probe', 'exec');
  if (result) run.add(3100, { type: 'exec-result', action, ...result });
  return run.stepEnd(3200, 'probe', result ? 'done' : 'timeout', result ? 'exited' : 'the command ran past 5000 ms').end(4000);
}

test('exec-result passes with the expected exit code (0 by default)', () => {
  const result = judge({ type: 'exec-result', step: 'probe' }, execd({ exitCode: 0, output: '  HTTP 200\n' }));
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'exit code 0, output: HTTP 200');
  assert.equal(result.expected, 'the command exits with 0');
  assert.equal(result.evidence?.type, 'exec-result');
});

test('exec-result fails with another exit code', () => {
  const result = judge({ type: 'exec-result', step: 'probe' }, execd({ exitCode: 1, output: '' }));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'exit code 1');
  assert.equal(judge({ type: 'exec-result', step: 'probe', exitCode: 1 }, execd({ exitCode: 1, output: '' })).status, 'pass');
});

test('exec-result checks the output when outputMatches is given', () => {
  const spec = { type: 'exec-result', step: 'probe', outputMatches: 'PID 1 is node' };
  assert.equal(judge(spec, execd({ exitCode: 0, output: 'PID 1 is node' })).status, 'pass');
  const result = judge(spec, execd({ exitCode: 0, output: 'PID 1 is sh' }));
  assert.equal(result.status, 'fail');
  assert.equal(result.expected, 'the command exits with 0 and prints /PID 1 is node/');
});

test('exec-result fails when the command produced no result', () => {
  const result = judge({ type: 'exec-result', step: 'probe' }, execd(null));
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the command could not run: the command ran past 5000 ms');
  assert.equal(result.evidence?.type, 'action-end');
});

test('exec-result ignores the result of another step', () => {
  const result = judge({ type: 'exec-result', step: 'probe' }, execd({ exitCode: 0, output: '' }, 'other'));
  assert.equal(result.status, 'fail');
  assert.match(result.observed, /could not run/);
});

// --- overall status ----------------------------------------------------------------------------

test('a failing bonus check does not fail the run, a failing required check does', () => {
  const run = runningWith(proc(1, 0, 'sh -c node server.js'), proc(7, 1, 'node server.js'));
  const withBonus = evaluateChecks(
    [check('running', { type: 'running-at', at: 'settled' }), check('pid1', { type: 'pid1-command', matches: '^node', at: 'settled' }, { bonus: true })],
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
  const required = evaluateChecks([check('pid1', { type: 'pid1-command', matches: '^node', at: 'settled' })], run.events);
  assert.equal(overallStatus(required), 'fail');
});
