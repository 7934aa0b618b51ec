// Runs against the real Docker engine: the container of a run has no network, no capabilities, and runs
// under the sandbox limits.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { dockerfileRunning, inlineExercise } from './inline-exercise';
import { runExercise } from './run-exercise';
import { assertNothingLeft, engine, OWNER } from './run-exercise-fixtures';

after(assertNothingLeft);

describe('a run on the real engine', () => {
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
              {
                id: 'pids',
                do: 'exec',
                command: ['sh', '-c', 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'],
              },
              { id: 'nnp', do: 'exec', command: ['grep', 'NoNewPrivs', '/proc/1/status'] },
            ],
          },
        ],
        checks: [
          {
            id: 'net',
            title: 'net',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'exec-result', step: 'net', outputMatches: '^lo\\s*$' },
          },
          {
            id: 'caps',
            title: 'caps',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'exec-result', step: 'caps', outputMatches: 'CapEff:\\s+0+\\s' },
          },
          {
            id: 'pids',
            title: 'pids',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'exec-result', step: 'pids', outputMatches: '^64\\s*$' },
          },
          {
            id: 'nnp',
            title: 'nnp',
            scenario: 'main',
            hint: 'h',
            assert: { type: 'exec-result', step: 'nnp', outputMatches: 'NoNewPrivs:\\s+1' },
          },
        ],
      },
      [dockerfileRunning(['sleep', 'infinity'])],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    for (const check of outcome.checks) assert.equal(check.status, 'pass', `${check.id}: ${check.message}`);
  });
});
