// The predictions sent with a run: bounded by the request's schema, refused when the exercise does not
// ask them, recorded as picked before the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../http/http-error';
import { findExercise } from '../lessons/curriculum';
import { assertPredictions, startedPredictions } from './run-predictions';
import { StartRunSchema } from './run-request';

const base = { exerciseId: 'main-process-exit/pid1', files: [] };
const pid1 = findExercise('main-process-exit/pid1')!;

test('the request takes at most 8 predictions of short ids', () => {
  assert.ok(StartRunSchema.safeParse({ ...base, predictions: { 'who-is-pid1': 'node' } }).success);
  assert.ok(StartRunSchema.safeParse(base).success, 'never required');
  for (const predictions of [
    { 'Not An Id': 'node' },
    { q: 'x'.repeat(41) },
    Object.fromEntries([...Array(9)].map((_, i) => [`q${i}`, 'a'])),
    ['node'],
  ])
    assert.equal(StartRunSchema.safeParse({ ...base, predictions }).success, false, JSON.stringify(predictions));
});

test('a question the exercise does not ask, or a choice it does not offer, is refused with a 400', () => {
  assert.doesNotThrow(() => assertPredictions(pid1, { 'who-is-pid1': 'node', 'stop-code': 'sigkill' }));
  const refused: Record<string, string>[] = [{ 'no-such-question': 'node' }, { 'who-is-pid1': 'no-such-choice' }];
  for (const picks of refused)
    assert.throws(
      () => assertPredictions(pid1, picks),
      (error) => error instanceof HttpError && error.status === 400,
    );
});

test('the attempt records what was picked, nothing observed yet', () => {
  assert.deepEqual(startedPredictions(pid1, { 'who-is-pid1': 'node' }), [
    {
      id: 'who-is-pid1',
      question: pid1.spec.predictions[0].question,
      predicted: { id: 'node', text: 'node server.js itself' },
      saw: 'not observed: the run did not finish',
    },
  ]);
  assert.deepEqual(startedPredictions(pid1, {}), []);
});
