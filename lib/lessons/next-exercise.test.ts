// The way on after a Pass, over the real curriculum: the next exercise of the lesson, the first of the
// next lesson after a lesson's last, and the course overview after the very last.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCurriculum } from './curriculum';
import { exerciseHref, nextStepAfter } from './next-exercise';

const lessons = loadCurriculum();

test('within a lesson, the next exercise in its order follows', () => {
  const [first, second] = lessons[0].exercises;
  assert.deepEqual(nextStepAfter(lessons, first.id), {
    href: exerciseHref(second.lessonSlug, second.name),
    title: second.spec.title,
  });
});

test("after a lesson's last exercise, the first exercise of the next lesson follows", () => {
  const last = lessons[0].exercises.at(-1)!;
  const first = lessons[1].exercises[0];
  assert.deepEqual(nextStepAfter(lessons, last.id), {
    href: `/exercises/${lessons[1].slug}/${first.name}`,
    title: first.spec.title,
  });
});

test('after the very last exercise, the course overview follows; an unknown exercise has no next step', () => {
  const last = lessons.at(-1)!.exercises.at(-1)!;
  assert.equal(nextStepAfter(lessons, last.id)?.href, '/');
  assert.equal(nextStepAfter(lessons, 'no-such/exercise'), undefined);
});
