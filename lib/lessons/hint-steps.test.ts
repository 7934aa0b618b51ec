import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headingIdCounter, lessonHeadingIds } from './heading-ids';
import { allExercises, hintStepsByCheck, loadCurriculum } from './curriculum';
import { DIAGNOSIS_CHECK_IDS } from './exercise-schema';
import { renderMarkdown } from '../markdown';

test('every check of every exercise has a graded hint: the idea with a lesson section, then the fix', () => {
  const missing: string[] = [];
  for (const exercise of allExercises()) {
    const steps = hintStepsByCheck(exercise);
    const ids = exercise.kind === 'diagnosis' ? DIAGNOSIS_CHECK_IDS.filter((id) => id !== 'answer-format') : exercise.spec.checks.map((check) => check.id);
    for (const id of ids) if (!steps[id]) missing.push(`${exercise.id} ${id}`);
  }
  assert.deepEqual(missing, []);
});

test('the fix of a graded hint is not its idea again, nor the first hint', () => {
  for (const exercise of allExercises())
    for (const [id, steps] of Object.entries(hintStepsByCheck(exercise))) {
      assert.notEqual(steps!.fix.trim(), steps!.concept.text.trim(), `${exercise.id} ${id}`);
      const first = exercise.kind === 'build' ? exercise.spec.checks.find((check) => check.id === id)?.hint : undefined;
      assert.notEqual(steps!.fix.trim(), first?.trim(), `${exercise.id} ${id}`);
    }
});

test('a lesson page renders the heading ids that graded hints link to', () => {
  for (const lesson of loadCurriculum()) {
    const rendered = [...renderMarkdown(lesson.body).matchAll(/<h[1-6] id="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(rendered, lessonHeadingIds(lesson.body), lesson.slug);
  }
});

test('heading ids: lower case words joined by hyphens; a repeat gets a number; code is not a heading', () => {
  const next = headingIdCounter();
  assert.equal(next('PID 1 is special'), 'pid-1-is-special');
  assert.equal(next("The process manager can't track the process"), 'the-process-manager-cant-track-the-process');
  assert.equal(next('Fix 1: handle SIGTERM'), 'fix-1-handle-sigterm');
  assert.equal(next('PID 1 is special'), 'pid-1-is-special-1');
  assert.deepEqual(lessonHeadingIds('## One\n\n```sh\n# not a heading\n```\n\n### `STOPSIGNAL` two\n'), ['one', 'stopsignal-two']);
});
