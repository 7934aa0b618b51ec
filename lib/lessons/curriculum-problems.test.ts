// The problems the loader reports for a curriculum, each named with its file: unknown scenarios and steps,
// mistakes without their wrong/ cases and the reverse, stray and missing files, a missing solution, a
// schema error, a badly named lesson folder; every problem listed at once. Temporary curricula.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadCurriculum } from './curriculum';
import { EXERCISE_YAML, makeLessons, problemsOf, removeTempLessons, validLessons } from './curriculum-fixtures';

after(removeTempLessons);

test('a valid temporary curriculum loads with its lesson and exercise', () => {
  const lessons = loadCurriculum(makeLessons(validLessons()));
  assert.equal(lessons.length, 1);
  assert.deepEqual([lessons[0].slug, lessons[0].order, lessons[0].title, lessons[0].summary], ['demo', 1, 'Demo lesson', 'A lesson for tests.']);
  assert.equal(lessons[0].body, '## Body\n');
  assert.deepEqual(lessons[0].exercises.map((e) => e.id), ['demo/ex']);
  assert.deepEqual(lessons[0].exercises[0].starter.map((f) => f.name), ['Dockerfile', 'server.js']);
});

test('a check naming an unknown scenario is a problem', () => {
  const yaml = EXERCISE_YAML.replace('    scenario: main\n', '    scenario: nowhere\n');
  const problems = problemsOf(makeLessons(validLessons({ '01-demo/exercises/ex/exercise.yaml': yaml })));
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /exercise\.yaml: check pid1-is-node names unknown scenario nowhere$/);
});

test('a check naming an unknown step is a problem', () => {
  const yaml = EXERCISE_YAML.replace("at: up }", 'at: later }');
  const problems = problemsOf(makeLessons(validLessons({ '01-demo/exercises/ex/exercise.yaml': yaml })));
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /check pid1-is-node names unknown step later$/);
});

test('a wrong/ case not listed under mistakes is a problem', () => {
  const problems = problemsOf(makeLessons(validLessons({ '01-demo/exercises/ex/wrong/unlisted/Dockerfile': 'FROM lab/node\n' })));
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /wrong[/\\]unlisted: not described under mistakes in exercise\.yaml$/);
});

test('a mistake without its wrong/ folder is a problem', () => {
  const problems = problemsOf(makeLessons(validLessons({ '01-demo/exercises/ex/wrong/wrapper/Dockerfile': null, '01-demo/exercises/ex/wrong/other/Dockerfile': 'FROM lab/node\n' })));
  assert.ok(problems.some((p) => /mistake wrapper has no wrong\/wrapper\/ folder/.test(p)), problems.join('\n'));
});

test('a stray file beside exercise.yaml is a problem', () => {
  const problems = problemsOf(makeLessons(validLessons({ '01-demo/exercises/ex/notes.txt': 'todo\n' })));
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /ex[/\\]notes\.txt: stray file \(not listed in files\)$/);
});

test('a starter file listed in files but missing is a problem', () => {
  const problems = problemsOf(makeLessons(validLessons({ '01-demo/exercises/ex/server.js': null })));
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /ex[/\\]server\.js: listed in files but missing$/);
});

test('a missing solution and too few wrong cases are problems', () => {
  const problems = problemsOf(
    makeLessons(
      validLessons({
        '01-demo/exercises/ex/exercise.yaml': EXERCISE_YAML.replace(/  wrapper:\n.*\n.*\n/, ''),
        '01-demo/exercises/ex/solution/Dockerfile': null,
        '01-demo/exercises/ex/wrong/wrapper/Dockerfile': null,
      }),
    ),
  );
  assert.ok(problems.some((p) => /ex: no solution\/$/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /ex: needs at least two wrong\/<mistake>\/ cases$/.test(p)), problems.join('\n'));
  assert.equal(problems.length, 2, problems.join('\n'));
});

test('every problem of a curriculum is listed in one CurriculumError', () => {
  const yaml = EXERCISE_YAML.replace('    scenario: main\n', '    scenario: nowhere\n');
  const problems = problemsOf(
    makeLessons(
      validLessons({
        '01-demo/exercises/ex/exercise.yaml': yaml,
        '01-demo/exercises/ex/wrong/unlisted/Dockerfile': 'FROM lab/node\n',
        '01-demo/exercises/ex/stray.md': 'x',
        '01-demo/exercises/ex/server.js': null,
      }),
    ),
  );
  assert.equal(problems.length, 4, problems.join('\n'));
  for (const pattern of [/names unknown scenario nowhere/, /wrong[/\\]unlisted: not described under mistakes/, /stray\.md: stray file/, /server\.js: listed in files but missing/]) {
    assert.equal(problems.filter((p) => pattern.test(p)).length, 1, `${pattern}: ${problems.join('\n')}`);
  }
});

test('an exercise.yaml that breaks the schema is a problem naming the field', () => {
  const yaml = EXERCISE_YAML.replace('format_version: 1', 'format_version: 2');
  const problems = problemsOf(makeLessons(validLessons({ '01-demo/exercises/ex/exercise.yaml': yaml })));
  assert.ok(problems.some((p) => /exercise\.yaml: format_version: /.test(p)), problems.join('\n'));
});

test('a lesson folder with a bad name or without lesson.md is a problem', () => {
  const problems = problemsOf(makeLessons({ ...validLessons(), 'demo-without-number/lesson.md': 'x', '02-empty/readme.txt': 'x' }));
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /02-empty[/\\]lesson\.md: missing$/);
  assert.match(problems[1], /demo-without-number: lesson folders are named <NN>-<slug>$/);
});
