// The prediction questions of the curriculum: each is judged in a scenario the exercise has, at steps
// that scenario takes (a diagnosis, which runs nothing, asks about its incident), and the exercises of
// the first lessons each ask at least one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allExercises, loadCurriculum } from './curriculum';

/** The build exercises that teach with a prediction (others may ask none). */
const ASKING = [
  'main-process-exit/pid1',
  'main-process-exit/background',
  'main-process-exit/foreground',
  'main-process-exit/restart-policy',
  'main-process-exit/supervisor',
  'never-daemonize/python-foreground',
  'pid1-signals/graceful-stop',
  'main-process-exit/diagnose',
];

test('prediction questions name a scenario of their exercise and steps of that scenario', () => {
  for (const exercise of allExercises(loadCurriculum())) {
    if (exercise.kind !== 'build') {
      for (const spec of exercise.spec.predictions)
        assert.equal(spec.observed.kind, 'incident-pid1', `${exercise.id} ${spec.id}: a diagnosis runs nothing`);
      continue;
    }
    const ids = exercise.spec.predictions.map((spec) => spec.id);
    assert.equal(new Set(ids).size, ids.length, `${exercise.id}: prediction ids must be unique`);
    for (const spec of exercise.spec.predictions) {
      const where: string = `${exercise.id} prediction ${spec.id}`;
      const observed = spec.observed;
      if (observed.kind === 'incident-pid1') assert.fail(`${where}: a build exercise stages no incident`);
      const scenario = exercise.spec.scenarios.find((candidate) => candidate.id === observed.scenario);
      assert.ok(scenario, `${where}: no scenario ${observed.scenario}`);
      const steps = scenario.actions.map((action) => action.id).filter(Boolean);
      const step = 'at' in observed ? observed.at : 'after' in observed ? observed.after : undefined;
      if (step) assert.ok(steps.includes(step), `${where}: scenario ${scenario.id} has no step ${step}`);
    }
  }
});

test('the exercises that teach with a prediction ask at least one', () => {
  const exercises = allExercises(loadCurriculum());
  for (const id of ASKING) {
    const exercise = exercises.find((candidate) => candidate.id === id);
    assert.ok(exercise, `no exercise ${id}`);
    assert.ok(exercise.spec.predictions.length >= 1, `${id} asks no prediction`);
  }
});
