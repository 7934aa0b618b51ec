// Runs against the real Docker engine: a scenario's Pod-spec command and args reach PID 1's argv as
// Kubernetes gives them, and a scenario's drawn memory limit is applied, kept out of the environment,
// read back from the container's memory cgroup, and its OOM kill recorded.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { dockerfileRunning, inlineExercise } from './inline-exercise';
import { runExercise } from './run-exercise';
import { assertNothingLeft, engine, eventsOf, OWNER } from './run-exercise-fixtures';

after(assertNothingLeft);

const MiB = 1024 * 1024;
const check = (id: string, scenario: string, assert: Record<string, unknown>) => ({
  id,
  title: id,
  scenario,
  hint: 'h',
  assert,
});

describe('run settings on the real engine', () => {
  test('args replace CMD; command replaces ENTRYPOINT and CMD', async () => {
    const waitThenExit = [
      { id: 'up', do: 'wait-for-process', match: '^sleep', timeoutMs: 10000 },
      { do: 'wait-for-exit', timeoutMs: 10000 },
    ];
    const exercise = inlineExercise(
      {
        scenarios: [
          {
            id: 'args',
            description: 'args',
            draw: { SECS: { between: [2, 3] } },
            run: { args: ['${SECS}'] },
            actions: waitThenExit,
          },
          { id: 'command', description: 'command', run: { command: ['sleep'], args: ['1.5'] }, actions: waitThenExit },
        ],
        checks: [
          check('args', 'args', { type: 'pid1-args', program: { program: 'sleep' }, args: ['${SECS}'], at: 'up' }),
          check('command', 'command', { type: 'pid1-args', program: { program: 'sleep' }, args: ['1.5'], at: 'up' }),
        ],
      },
      [dockerfileRunning(['9'], 'ENTRYPOINT ["sleep"]\n')],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    for (const result of outcome.checks) assert.equal(result.status, 'pass', `${result.id}: ${result.message}`);
  });

  test('a drawn memory limit is applied, hidden from the environment, read back, and its OOM kill recorded', async () => {
    const exercise = inlineExercise(
      {
        scenarios: [
          {
            id: 'main',
            description: 'fill memory',
            draw: { LIMIT_MB: { between: [32, 40], env: false } },
            run: { memoryMb: '${LIMIT_MB}' },
            actions: [
              { id: 'up', do: 'wait-for-output', match: 'env', timeoutMs: 10000 },
              { do: 'wait-for-exit', timeoutMs: 15000 },
            ],
          },
        ],
        checks: [
          check('no-oom', 'main', { type: 'no-oom-kill' }),
          check('below', 'main', { type: 'memory-below', percent: 90 }),
        ],
      },
      // PID 1 itself (python, exec'd) fills 200 MB past the limit: the OOM killer ends the process Docker
      // watches, so the engine reports the kill with the exit (a killed child of a shell may be reported late).
      [
        dockerfileRunning([
          'sh',
          '-c',
          'env | grep -c LIMIT_MB; echo env; sleep 0.5; exec python3 -c "b = b\'x\' * (200 * 1024 * 1024)"',
        ]),
      ],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    const events = outcome.timeline.events();
    const drawn = Number(eventsOf(events, 'scenario-start')[0].drawn?.LIMIT_MB);
    assert.ok(
      events.some((event) => event.type === 'output' && event.text === '0'),
      'LIMIT_MB is not in the environment',
    );
    const readings = eventsOf(events, 'memory');
    assert.ok(readings.length > 0, 'memory was read');
    assert.equal(readings[0].limitBytes, drawn * MiB);
    const die = eventsOf(events, 'container-die')[0];
    assert.equal(die.oomKilled, true);
    assert.equal(die.exitCode, 137);
    const byId = Object.fromEntries(outcome.checks.map((result) => [result.id, result]));
    assert.equal(byId['no-oom'].status, 'fail');
    assert.equal(byId.below.status, 'fail');
  });
});
