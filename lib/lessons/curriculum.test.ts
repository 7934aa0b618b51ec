// The curriculum of this checkout as the loader reads it (every exercise the lab refers to, with its
// solution and wrong cases), and mergeFiles, which lays a case's files over the starter.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CAUSES } from '../incidents/causes';
import { allExercises, caseFiles, caseNames, caseSeeds, findBuildExercise, findExercise, LESSONS_DIR, loadCurriculum, mergeFiles, mistakeOfCase } from './curriculum';

const REPO_LESSONS = fileURLToPath(new URL('../../lessons', import.meta.url));

// --- the real curriculum -----------------------------------------------------------------------

test('the lessons folder of this checkout loads without problems', () => {
  assert.equal(LESSONS_DIR, REPO_LESSONS);
  const lessons = loadCurriculum();
  assert.ok(lessons.length >= 2);
  assert.deepEqual(
    lessons.map((lesson) => lesson.order),
    [...lessons.map((lesson) => lesson.order)].sort((a, b) => a - b),
  );
  for (const lesson of lessons) {
    assert.ok(lesson.title && lesson.summary && lesson.body.trim(), lesson.slug);
    assert.ok(lesson.exercises.length >= 1, lesson.slug);
  }
});

test('exercise ids are unique and made of the lesson slug and exercise name', () => {
  const exercises = allExercises(loadCurriculum());
  const ids = exercises.map((exercise) => exercise.id);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
  for (const exercise of exercises) assert.equal(exercise.id, `${exercise.lessonSlug}/${exercise.name}`);
});

const CONTRACT: Record<string, string[]> = {
  'main-process-exit/pid1': ['Dockerfile', 'server.js'],
  'main-process-exit/background': ['Dockerfile', 'server.js'],
  'main-process-exit/foreground': ['Dockerfile', 'my-daemon.js'],
  'main-process-exit/supervisor': ['Dockerfile', 'supervisord.conf', 'server.js', 'worker.js'],
  'main-process-exit/restart-policy': ['Dockerfile', 'entrypoint.sh', 'server.js'],
  'never-daemonize/python-foreground': ['Dockerfile', 'main.py'],
  'main-process-exit/diagnose': ['answer.json'],
};

test('the exercises the rest of the lab refers to exist with exactly these editable files', () => {
  const lessons = loadCurriculum();
  for (const [id, files] of Object.entries(CONTRACT)) {
    const exercise = findExercise(id, lessons);
    assert.ok(exercise, `exercise ${id} is missing`);
    assert.deepEqual(exercise.spec.files, files, id);
    assert.deepEqual(exercise.starter.map((file) => file.name), files, `${id} starter`);
    for (const file of exercise.starter) {
      assert.equal(file.content, fs.readFileSync(path.join(exercise.dir, file.name), 'utf8'), `${id}/${file.name}`);
    }
  }
});

test('the diagnosis exercise lists every cause, and its cases answer named incidents', () => {
  const lessons = loadCurriculum();
  const exercise = findExercise('main-process-exit/diagnose', lessons);
  assert.ok(exercise?.kind === 'diagnosis');
  assert.equal(exercise.spec.incident.container, 'my-api');
  for (const cause of CAUSES) assert.match(exercise.spec.instructions, new RegExp(`\`${cause}\``), `the instructions name ${cause}`);
  assert.ok(caseSeeds(exercise, 'solution').length >= CAUSES.length);
  for (const mistake of caseNames(exercise, 'wrong')) assert.ok(caseSeeds(exercise, `wrong/${mistake}`).length >= 1, mistake);
  const [seed] = caseSeeds(exercise, 'solution');
  assert.deepEqual(caseFiles(exercise, `solution/seed-${seed}`).map((file) => file.name), ['answer.json']);
  assert.equal(findBuildExercise('main-process-exit/diagnose', lessons), undefined);
  assert.equal(findBuildExercise('main-process-exit/pid1', lessons)?.kind, 'build');
});

test('findExercise returns undefined for an unknown id', () => {
  assert.equal(findExercise('main-process-exit/nope', loadCurriculum()), undefined);
});

test('every exercise has a solution and at least two wrong cases', () => {
  for (const exercise of allExercises(loadCurriculum())) {
    assert.ok(fs.statSync(path.join(exercise.dir, 'solution')).isDirectory(), `${exercise.id} has no solution/`);
    const wrong = caseNames(exercise, 'wrong');
    assert.ok(wrong.length >= 2, `${exercise.id} has ${wrong.length} wrong cases`);
    assert.deepEqual([...new Set(wrong.map(mistakeOfCase))].sort(), Object.keys(exercise.spec.mistakes).sort(), `${exercise.id} mistakes`);
  }
});

test('caseFiles merges a case folder over the starter', () => {
  const exercise = findExercise('main-process-exit/pid1', loadCurriculum())!;
  const solution = caseFiles(exercise, 'solution');
  assert.deepEqual(solution.map((file) => file.name), ['Dockerfile', 'server.js']);
  assert.equal(solution[0].content, fs.readFileSync(path.join(exercise.dir, 'solution', 'Dockerfile'), 'utf8'));
  assert.equal(solution[1].content, exercise.starter[1].content);
  assert.notEqual(solution[0].content, exercise.starter[0].content);
});

// --- mergeFiles --------------------------------------------------------------------------------

test('mergeFiles replaces files of the same name and keeps the others, in starter order', () => {
  const starter = [
    { name: 'Dockerfile', content: 'starter Dockerfile' },
    { name: 'server.js', content: 'starter server' },
    { name: 'worker.js', content: 'starter worker' },
  ];
  const merged = mergeFiles(starter, [{ name: 'server.js', content: 'new server' }]);
  assert.deepEqual(merged, [
    { name: 'Dockerfile', content: 'starter Dockerfile' },
    { name: 'server.js', content: 'new server' },
    { name: 'worker.js', content: 'starter worker' },
  ]);
});

test('mergeFiles adds files that the starter does not have, after the starter files', () => {
  const merged = mergeFiles([{ name: 'Dockerfile', content: 'a' }], [{ name: 'extra.sh', content: 'b' }, { name: 'Dockerfile', content: 'c' }]);
  assert.deepEqual(merged, [
    { name: 'Dockerfile', content: 'c' },
    { name: 'extra.sh', content: 'b' },
  ]);
});

test('mergeFiles leaves its inputs unchanged', () => {
  const starter = [{ name: 'Dockerfile', content: 'a' }];
  mergeFiles(starter, [{ name: 'Dockerfile', content: 'b' }]);
  assert.deepEqual(starter, [{ name: 'Dockerfile', content: 'a' }]);
});
