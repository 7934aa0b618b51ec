// Runs against the real Docker engine that do not go as planned, and how they are reported: a Dockerfile
// that breaks the lab's rules, a failing build step, a run stopped while it builds, a container over its
// memory limit, a scenario past its deadline, a container killed from outside the run.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Timeline } from '../observe/timeline';
import { dockerfileRunning, inlineExercise } from './inline-exercise';
import { runExercise } from './run-exercise';
import { assertNothingLeft, engine, eventsOf, OWNER } from './run-exercise-fixtures';

after(assertNothingLeft);

describe('a run on the real engine', () => {
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
      [
        {
          name: 'Dockerfile',
          content: `FROM lab/node\nENV NONCE=${process.pid}-${Date.now()}\nRUN echo building && sleep 60\nCMD ["true"]\n`,
        },
      ],
    );
    const stop = new AbortController();
    const timeline = new Timeline();
    const unsubscribe = timeline.subscribe((event) => {
      if (event.type === 'build-output' && event.text === 'building') stop.abort();
    });
    const started = Date.now();
    const outcome = await runExercise({
      engine,
      exercise,
      files: exercise.starter,
      owner: OWNER,
      timeline,
      signal: stop.signal,
    });
    unsubscribe();
    assert.ok(stop.signal.aborted, 'the build began');
    assert.ok(
      Date.now() - started < 20_000,
      `the run ended ${Date.now() - started} ms after it began, not after the 60 s step`,
    );
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
    assert.ok(
      build.evidence?.buildLog?.some((line) => line.includes('building')),
      'the build output is the evidence',
    );
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
        scenarios: [
          {
            id: 'main',
            description: 'run',
            actions: [
              { id: 'long', do: 'wait', ms: 20000 },
              { id: 'end', do: 'wait', ms: 10 },
            ],
          },
        ],
        checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'running-at', at: 'end' } }],
      },
      [dockerfileRunning(['sleep', 'infinity'])],
    );
    const started = Date.now();
    const outcome = await runExercise({
      engine,
      exercise,
      files: exercise.starter,
      owner: OWNER,
      limitOverrides: { scenarioDeadlineMs: 2000 },
    });
    assert.ok(Date.now() - started < 15000, 'the deadline cut the 20 s step short');
    const deadline = eventsOf(outcome.timeline.events(), 'deadline')[0];
    assert.equal(deadline?.what, 'scenario');
    assert.equal(outcome.checks[1].status, 'fail');
    assert.match(outcome.checks[1].observed, /deadline/);
  });

  test("a container killed from outside the run is not judged; the lab's own docker stop is", async () => {
    const exercise = inlineExercise(
      {
        scenarios: [
          {
            id: 'own',
            description: 'stopped by the lab',
            actions: [
              { do: 'wait', ms: 300 },
              { do: 'stop', timeoutSec: 1 },
            ],
          },
          { id: 'outside', description: 'killed by someone else', actions: [{ do: 'wait', ms: 8000 }] },
        ],
        checks: [
          {
            id: 'stopped',
            title: 'stopped',
            scenario: 'own',
            hint: 'h',
            assert: { type: 'exit-code', codes: [137, 143] },
          },
          { id: 'up', title: 'up', scenario: 'outside', hint: 'h', assert: { type: 'running-at', at: 'end' } },
        ],
      },
      [dockerfileRunning(['sleep', 'infinity'])],
    );
    const timeline = new Timeline();
    let killed: Promise<unknown> | undefined;
    const containers = new Map<string, string>();
    const unsubscribe = timeline.subscribe((event) => {
      if (event.type === 'container-create') containers.set(event.scenario!, event.containerId);
      if (event.type === 'container-start' && event.scenario === 'outside')
        killed = engine.docker.getContainer(containers.get('outside')!).kill();
    });
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER, timeline });
    unsubscribe();
    await killed;
    assert.deepEqual(
      outcome.checks.map((check) => [check.id, check.status]),
      [
        ['image-builds', 'pass'],
        ['stopped', 'pass'],
        ['up', 'error'],
      ],
    );
    assert.match(outcome.checks[2].observed, /sent SIGKILL from outside the lab's run/);
    assert.equal(outcome.status, 'error');
    const errors = eventsOf(outcome.timeline.events(), 'platform-error');
    assert.deepEqual(
      errors.map((error) => error.scenario),
      ['outside'],
      "the lab's own stop is not taken for someone else's",
    );
  });
});
