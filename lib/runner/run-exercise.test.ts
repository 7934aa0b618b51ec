// Runs against the real Docker engine: what a run observes (start, processes, output, the exit, the
// filesystem diff), subscribers following it live, and a flood of output kept within its limit.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Timeline } from '../observe/timeline';
import { dockerfileRunning, inlineExercise } from './inline-exercise';
import { runExercise } from './run-exercise';
import { assertNothingLeft, engine, eventsOf, OWNER } from './run-exercise-fixtures';

after(assertNothingLeft);

describe('a run on the real engine', () => {
  test('records start, processes with in-container PIDs, stdout and stderr apart, the exit and the filesystem diff', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [
          {
            id: 'main',
            description: 'run',
            actions: [
              { id: 'up', do: 'wait-for-process', match: '^sleep', timeoutMs: 10000 },
              { do: 'wait-for-exit', timeoutMs: 10000 },
            ],
          },
        ],
        checks: [
          {
            id: 'pid1',
            title: 'pid1',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'pid1-command', matches: '^sh -c', at: 'up' },
          },
          {
            id: 'child',
            title: 'child',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'child-of', child: '^sleep 1$', parentPid1: true, at: 'up' },
          },
          { id: 'code', title: 'code', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [7] } },
          {
            id: 'out',
            title: 'out',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'output-contains', stream: 'stdout', matches: '^to stdout$' },
          },
          {
            id: 'err',
            title: 'err',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'output-contains', stream: 'stderr', matches: '^to stderr$' },
          },
          {
            id: 'file',
            title: 'file',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'no-file-created', pattern: '^/tmp/made-by-test$' },
          },
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
    assert.deepEqual(
      seen,
      outcome.timeline.events().map((event) => event.seq),
    );
  });

  test('a flood of output is kept up to the output limit, marked truncated once, and the run goes on', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait-for-exit', timeoutMs: 20000 }] }],
        checks: [{ id: 'code', title: 'code', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [0] } }],
      },
      // 1 MiB of lines of 99 characters, four times the limit.
      [
        dockerfileRunning([
          'sh',
          '-c',
          'yes 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 | head -c 1048576; echo',
        ]),
      ],
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
    [
      'bytes',
      'for i in 1 2 3 4 5 6; do head -c 60000000 /dev/zero > /tmp/fill-$i; done; echo filled; sleep 30',
      /\d+ MiB written, more than the 256 MiB/,
    ],
    [
      'files',
      'mkdir /tmp/many && cd /tmp/many && seq 25000 | xargs touch; echo filled; sleep 30',
      /more than 20000 files written/,
    ],
  ] as const) {
    test(`a container that writes past its disk limit (${what}) is killed, and the timeline and checks say why`, async () => {
      const exercise = inlineExercise(
        {
          scenarios: [
            {
              id: 'main',
              description: 'run',
              actions: [
                { id: 'filled', do: 'wait-for-output', match: '^filled$', timeoutMs: 20000 },
                { id: 'later', do: 'wait', ms: 5000 },
              ],
            },
          ],
          checks: [{ id: 'up', title: 'up', scenario: 'main', hint: 'h', assert: { type: 'running-at', at: 'later' } }],
        },
        [dockerfileRunning(['sh', '-c', command])],
      );
      const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
      const events = outcome.timeline.events();
      const [disk] = eventsOf(events, 'disk-limit');
      assert.ok(disk, 'a disk-limit event');
      const die = eventsOf(events, 'container-die').find((event) => event.seq > disk.seq);
      assert.equal(
        die?.exitCode,
        137,
        events
          .filter((event) => !['output', 'snapshot', 'process-spawn', 'process-exit'].includes(event.type))
          .map((event) => `${event.seq} ${event.type}`)
          .join(', '),
      );
      const up = outcome.checks.find((check) => check.id === 'up')!;
      assert.equal(up.status, 'fail');
      assert.match(up.observed, over);
    });
  }
});
