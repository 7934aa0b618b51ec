// Runs against the real Docker engine: what a run observes, how it reports the learner's mistakes,
// the sandbox limits it applies, and that it leaves nothing behind.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { EventOf, TimelineEvent } from '../observe/timeline-event';
import { Timeline } from '../observe/timeline';
import { DockerEngine } from '../sandbox/docker-engine';
import { labelledResources } from '../sandbox/reaper';
import { dockerfileRunning, inlineExercise } from './inline-exercise';
import { runExercise } from './run-exercise';

const engine = new DockerEngine();
const OWNER = `test-run-exercise-${process.pid}`;

function eventsOf<K extends TimelineEvent['type']>(events: TimelineEvent[], type: K): EventOf<K>[] {
  return events.filter((event): event is EventOf<K> => event.type === type);
}

after(async () => {
  const left = await labelledResources(engine.docker, OWNER);
  assert.deepEqual(left, { containers: [], images: [] }, 'every container and image of these tests is removed');
});

describe('a run on the real engine', () => {
  test('records start, processes with in-container PIDs, stdout and stderr apart, the exit and the filesystem diff', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ id: 'up', do: 'wait-for-process', match: '^sleep', timeoutMs: 10000 }, { do: 'wait-for-exit', timeoutMs: 10000 }] }],
        checks: [
          { id: 'pid1', title: 'pid1', scenario: 'main', hint: 'h', assert: { type: 'pid1-command', matches: '^sh -c', at: 'up' } },
          { id: 'child', title: 'child', scenario: 'main', hint: 'h', assert: { type: 'child-of', child: '^sleep 1$', parentPid1: true, at: 'up' } },
          { id: 'code', title: 'code', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [7] } },
          { id: 'out', title: 'out', scenario: 'main', hint: 'h', assert: { type: 'output-contains', stream: 'stdout', matches: '^to stdout$' } },
          { id: 'err', title: 'err', scenario: 'main', hint: 'h', assert: { type: 'output-contains', stream: 'stderr', matches: '^to stderr$' } },
          { id: 'file', title: 'file', scenario: 'main', hint: 'h', assert: { type: 'no-file-created', pattern: '^/tmp/made-by-test$' } },
        ],
      },
      [dockerfileRunning(['sh', '-c', 'echo to stdout; echo to stderr >&2; touch /tmp/made-by-test; sleep 1; exit 7'])],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    const events = outcome.timeline.events();
    const byId = Object.fromEntries(outcome.checks.map((check) => [check.id, check]));
    assert.equal(byId['image-builds'].status, 'pass');
    assert.equal(byId.pid1.status, 'pass', byId.pid1.message);
    assert.equal(byId.child.status, 'pass', byId.child.message);
    assert.equal(byId.code.status, 'pass', byId.code.message);
    assert.equal(byId.out.status, 'pass', byId.out.message);
    assert.equal(byId.err.status, 'pass', byId.err.message);
    // The file was created: a no-file-created check over it must fail, naming it.
    assert.equal(byId.file.status, 'fail');
    assert.match(byId.file.observed, /added \/tmp\/made-by-test/);
    assert.equal(outcome.status, 'fail');

    const snapshot = eventsOf(events, 'snapshot').find((event) => event.processes.length === 2)!;
    assert.ok(snapshot, 'a snapshot with the shell and its sleep child');
    const [shell, sleep] = snapshot.processes;
    assert.equal(shell.pid, 1);
    assert.equal(shell.ppid, 0);
    assert.equal(sleep.ppid, 1);
    assert.ok(sleep.hostPid && sleep.hostPid !== sleep.pid, 'host PID and in-container PID are told apart');
    const die = eventsOf(events, 'container-die')[0];
    assert.equal(die.exitCode, 7);
    assert.equal(die.oomKilled, false);
    assert.equal(die.willRestart, false);
    assert.ok(eventsOf(events, 'process-spawn').some((event) => event.process.command === 'sleep 1'));
    assert.ok(eventsOf(events, 'process-exit').some((event) => event.process.command === 'sleep 1'));
    // seq has no gaps; the run ends with its status.
    events.forEach((event, index) => assert.equal(event.seq, index));
    assert.deepEqual(events.at(-1), { ...events.at(-1), type: 'run-end', status: 'fail' });
  });

  test('subscribers receive every event live, in order, and follow() ends when the run does', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait-for-exit', timeoutMs: 10000 }] }],
        checks: [{ id: 'code', title: 'code', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [0] } }],
      },
      [dockerfileRunning(['true'])],
    );
    const timeline = new Timeline();
    const seen: number[] = [];
    const following = (async () => {
      for await (const event of timeline.follow()) seen.push(event.seq);
    })();
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER, timeline });
    await following;
    assert.equal(outcome.status, 'pass');
    assert.deepEqual(seen, outcome.timeline.events().map((event) => event.seq));
  });

  test('a Dockerfile that breaks the lab rules is refused before any build, naming the line', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait', ms: 100 }] }],
        checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [0] } }],
      },
      [{ name: 'Dockerfile', content: 'FROM lab/node\nADD https://example.com/x /x\nCMD ["true"]\n' }],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    assert.equal(outcome.status, 'fail');
    assert.match(outcome.checks[0].message, /Dockerfile:2: ADD of a URL is not allowed/);
    assert.equal(outcome.checks[1].status, 'fail');
    const types = outcome.timeline.events().map((event) => event.type);
    assert.ok(!types.includes('build-start'), 'nothing was built');
  });

  test('a run stopped while it builds stops its build at once', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait', ms: 100 }] }],
        checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [0] } }],
      },
      [{ name: 'Dockerfile', content: `FROM lab/node\nENV NONCE=${process.pid}-${Date.now()}\nRUN echo building && sleep 60\nCMD ["true"]\n` }],
    );
    const stop = new AbortController();
    const timeline = new Timeline();
    const unsubscribe = timeline.subscribe((event) => {
      if (event.type === 'build-output' && event.text === 'building') stop.abort();
    });
    const started = Date.now();
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER, timeline, signal: stop.signal });
    unsubscribe();
    assert.ok(stop.signal.aborted, 'the build began');
    assert.ok(Date.now() - started < 20_000, `the run ended ${Date.now() - started} ms after it began, not after the 60 s step`);
    assert.equal(outcome.checks[0].status, 'fail');
  });

  test('a failing build step is a fail with the build log and the line of the step', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait', ms: 100 }] }],
        checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [0] } }],
      },
      [{ name: 'Dockerfile', content: 'FROM lab/node\n# a comment\nRUN echo building \\\n && exit 3\nCMD ["true"]\n' }],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    assert.equal(outcome.status, 'fail');
    const build = outcome.checks[0];
    assert.equal(build.status, 'fail');
    assert.match(build.observed, /^Dockerfile:3: .*non-zero code: 3/);
    assert.ok(build.evidence?.buildLog?.some((line) => line.includes('building')), 'the build output is the evidence');
  });

  test('a container over its memory limit is reported as OOM-killed with 137', async () => {
    const exercise = inlineExercise(
      {
        limits: { memoryMb: 32 },
        scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait-for-exit', timeoutMs: 20000 }] }],
        checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [137] } }],
      },
      [dockerfileRunning(['python3', '-c', 'b = []\nwhile True: b.append(bytearray(4 << 20))'])],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    const die = eventsOf(outcome.timeline.events(), 'container-die')[0];
    assert.ok(die, 'the container died');
    assert.equal(die.exitCode, 137);
    assert.equal(die.oomKilled, true);
    assert.equal(die.signal, 'SIGKILL');
    assert.equal(outcome.status, 'pass');
  });

  test('a scenario past its deadline is killed and reported as such', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ id: 'long', do: 'wait', ms: 20000 }, { id: 'end', do: 'wait', ms: 10 }] }],
        checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'running-at', at: 'end' } }],
      },
      [dockerfileRunning(['sleep', 'infinity'])],
    );
    const started = Date.now();
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER, limitOverrides: { scenarioDeadlineMs: 2000 } });
    assert.ok(Date.now() - started < 15000, 'the deadline cut the 20 s step short');
    const deadline = eventsOf(outcome.timeline.events(), 'deadline')[0];
    assert.equal(deadline?.what, 'scenario');
    assert.equal(outcome.checks[1].status, 'fail');
    assert.match(outcome.checks[1].observed, /deadline/);
  });

  test('a flood of output is kept up to the output limit, marked truncated once, and the run goes on', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait-for-exit', timeoutMs: 20000 }] }],
        checks: [{ id: 'code', title: 'code', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [0] } }],
      },
      // 1 MiB of lines of 99 characters, four times the limit.
      [dockerfileRunning(['sh', '-c', 'yes 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 | head -c 1048576; echo'])],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    const events = outcome.timeline.events();
    const truncated = eventsOf(events, 'output-truncated');
    assert.equal(truncated.length, 1);
    const limit = truncated[0].limitBytes;
    const kept = eventsOf(events, 'output').reduce((sum, event) => sum + Buffer.byteLength(event.text) + 1, 0);
    assert.ok(kept <= limit && kept > limit - 200, `${kept} bytes kept of a ${limit} byte limit`);
    assert.equal(outcome.checks.find((check) => check.id === 'code')?.status, 'pass');
  });

  for (const [what, command, over] of [
    ['bytes', 'for i in 1 2 3 4 5 6; do head -c 60000000 /dev/zero > /tmp/fill-$i; done; echo filled; sleep 30', /\d+ MiB written, more than the 256 MiB/],
    ['files', 'mkdir /tmp/many && cd /tmp/many && seq 25000 | xargs touch; echo filled; sleep 30', /more than 20000 files written/],
  ] as const) {
    test(`a container that writes past its disk limit (${what}) is killed, and the timeline and checks say why`, async () => {
      const exercise = inlineExercise(
        {
          scenarios: [{ id: 'main', description: 'run', actions: [{ id: 'filled', do: 'wait-for-output', match: '^filled$', timeoutMs: 20000 }, { id: 'later', do: 'wait', ms: 5000 }] }],
          checks: [{ id: 'up', title: 'up', scenario: 'main', hint: 'h', assert: { type: 'running-at', at: 'later' } }],
        },
        [dockerfileRunning(['sh', '-c', command])],
      );
      const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
      const events = outcome.timeline.events();
      const [disk] = eventsOf(events, 'disk-limit');
      assert.ok(disk, 'a disk-limit event');
      const die = eventsOf(events, 'container-die').find((event) => event.seq > disk.seq);
      assert.equal(die?.exitCode, 137, events.filter((event) => !['output', 'snapshot', 'process-spawn', 'process-exit'].includes(event.type)).map((event) => `${event.seq} ${event.type}`).join(', '));
      const up = outcome.checks.find((check) => check.id === 'up')!;
      assert.equal(up.status, 'fail');
      assert.match(up.observed, over);
    });
  }

  test('the container has no network, no capabilities, and runs under the sandbox limits', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [
          {
            id: 'main',
            description: 'probe',
            actions: [
              { id: 'up', do: 'wait-for-process', match: '^sleep', timeoutMs: 10000 },
              { id: 'net', do: 'exec', command: ['ls', '/sys/class/net'] },
              { id: 'caps', do: 'exec', command: ['grep', 'CapEff', '/proc/1/status'] },
              { id: 'pids', do: 'exec', command: ['sh', '-c', 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'] },
              { id: 'nnp', do: 'exec', command: ['grep', 'NoNewPrivs', '/proc/1/status'] },
            ],
          },
        ],
        checks: [
          { id: 'net', title: 'net', scenario: 'main', hint: 'h', assert: { type: 'exec-result', step: 'net', outputMatches: '^lo\\s*$' } },
          { id: 'caps', title: 'caps', scenario: 'main', hint: 'h', assert: { type: 'exec-result', step: 'caps', outputMatches: 'CapEff:\\s+0+\\s' } },
          { id: 'pids', title: 'pids', scenario: 'main', hint: 'h', assert: { type: 'exec-result', step: 'pids', outputMatches: '^64\\s*$' } },
          { id: 'nnp', title: 'nnp', scenario: 'main', hint: 'h', assert: { type: 'exec-result', step: 'nnp', outputMatches: 'NoNewPrivs:\\s+1' } },
        ],
      },
      [dockerfileRunning(['sleep', 'infinity'])],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    for (const check of outcome.checks) assert.equal(check.status, 'pass', `${check.id}: ${check.message}`);
  });
});
