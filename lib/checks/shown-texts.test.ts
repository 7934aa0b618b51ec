// What a learner reads of every check of every exercise, whatever the run did: its title, Expected,
// Observed, hint and evidence name no regular expression and no step id. Each check is judged over
// timelines made from its exercise's own scenarios: every step done, every step skipped, nothing run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allExercises, type BuildExercise } from '../lessons/curriculum';
import { stepId, type Scenario } from '../lessons/exercise-schema';
import { describeAction } from '../runner/describe-action';
import type { CheckResult } from './check-result';
import { evaluateChecks } from './evaluate';
import { proc, Run } from './evaluate-fixtures';

/** Text that reads as a regular expression: escapes, anchors, wildcards, groups, alternatives, `/…/`. */
const REGEX_LIKE = /\\[dDsSwWb.]|\.[*+]|[\^$|]\(|\)[|?*+]|\(\?|\[\^|\/\^|\$\/|matching \//;
/** A step's id: `step-3` (given to a step without one) or the old `step "settled"`. */
const STEP_ID = /\bstep-\d+\b|\bsteps? "/;

type Outcome = 'done' | 'skipped' | 'none';

/** A value for each drawn name, as the lab would draw it. */
function drawnFor(scenario: Scenario): Record<string, string> {
  return Object.fromEntries(
    Object.entries(scenario.draw).map(([name, spec]) => [
      name,
      'token' in spec ? '0123456789ab' : String(spec.between[0]),
    ]),
  );
}

/** A run of every scenario of the exercise, its steps ending with `outcome`. */
function runOf(exercise: BuildExercise, outcome: Outcome): Run {
  const run = new Run().built();
  let t = 2000;
  for (const scenario of exercise.spec.scenarios) {
    run.add(t, {
      type: 'scenario-start',
      scenario: scenario.id,
      description: scenario.description,
      drawn: drawnFor(scenario),
    });
    if (outcome !== 'none') {
      run.add((t += 10), { type: 'container-start', hostPid: 4242, scenario: scenario.id });
      run.add((t += 10), {
        type: 'snapshot',
        scenario: scenario.id,
        processes: [proc(1, 0, '/bin/sh -c node server.js'), proc(7, 1, 'node server.js')],
      });
      run.add((t += 10), { type: 'output', stream: 'stdout', text: 'hello', scenario: scenario.id });
      scenario.actions.forEach((action, index) => {
        const id = stepId(action, index);
        run.add((t += 10), {
          type: 'action-start',
          action: id,
          kind: action.do,
          detail: describeAction(action),
          scenario: scenario.id,
        });
        const skipped =
          action.do === 'wait-for-output'
            ? `no line matching /${action.match}/ within ${action.timeoutMs} ms`
            : 'the container was not running';
        if (action.do === 'exec' && outcome === 'done')
          run.add((t += 10), { type: 'exec-result', action: id, exitCode: 1, output: 'no', scenario: scenario.id });
        run.add((t += 10), {
          type: 'action-end',
          action: id,
          outcome: outcome === 'done' ? 'done' : 'skipped',
          detail: outcome === 'done' ? 'done' : skipped,
          scenario: scenario.id,
        });
      });
      run.add((t += 10), {
        type: 'fs-changes',
        changes: [{ kind: 'added', path: '/app/out.log' }],
        scenario: scenario.id,
      });
      run.add((t += 10), {
        type: 'container-die',
        exitCode: 1,
        oomKilled: false,
        willRestart: false,
        scenario: scenario.id,
      });
    }
    run.add((t += 10), { type: 'scenario-end', scenario: scenario.id });
  }
  return run;
}

/** Every text of a result the learner reads. */
function shown(result: CheckResult): string[] {
  return [result.title, result.expected, result.observed, result.hint ?? '', result.evidence?.summary ?? ''];
}

const exercises = allExercises().filter((exercise): exercise is BuildExercise => exercise.kind === 'build');

for (const exercise of exercises) {
  test(`${exercise.id}: no check shows a regular expression or a step id`, () => {
    for (const outcome of ['done', 'skipped', 'none'] as const) {
      for (const result of evaluateChecks(exercise.spec.checks, runOf(exercise, outcome).events)) {
        for (const text of shown(result)) {
          assert.doesNotMatch(text, REGEX_LIKE, `${result.id} (steps ${outcome}) shows a pattern: ${text}`);
          assert.doesNotMatch(text, STEP_ID, `${result.id} (steps ${outcome}) shows a step id: ${text}`);
        }
      }
    }
    const hints = exercise.spec.checks.flatMap((check) => [
      check.title,
      check.hint,
      ...Object.values(check.hints ?? {}),
    ]);
    for (const text of hints) assert.doesNotMatch(text, REGEX_LIKE, `${exercise.id}: ${text}`);
  });
}

test('the patterns of the test are seen where they stand', () => {
  for (const text of [
    'a line matching /x/',
    'my-daemon tick \\d+',
    'exiting with code (\\d+)',
    '^node .*server',
    '(a|b)+',
  ])
    assert.match(text, REGEX_LIKE, text);
  assert.match('at step "settled"', STEP_ID);
  assert.match('step-3: wait', STEP_ID);
  assert.doesNotMatch('a line saying "server listening" within 3000 ms of the start', REGEX_LIKE);
  assert.doesNotMatch('exit code 143 = killed by SIGTERM (128 + 15)', REGEX_LIKE);
});
