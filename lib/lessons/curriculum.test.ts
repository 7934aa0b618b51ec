import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CAUSES } from '../incidents/causes';
import { allExercises, caseFiles, caseNames, caseSeeds, CurriculumError, findBuildExercise, findExercise, LESSONS_DIR, loadCurriculum, mergeFiles } from './curriculum';

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
    assert.deepEqual([...wrong].sort(), Object.keys(exercise.spec.mistakes).sort(), `${exercise.id} mistakes`);
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

// --- a temporary curriculum with problems ------------------------------------------------------

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const EXERCISE_YAML = `format_version: 1
order: 1
title: Demo
instructions: Make it so.
files: [Dockerfile, server.js]
scenarios:
  - id: main
    description: Start it.
    actions:
      - { id: up, do: wait-for-process, match: '^node', timeoutMs: 1000 }
checks:
  - id: pid1-is-node
    title: PID 1 is node
    scenario: main
    assert: { type: pid1-command, matches: '^node', at: up }
    hint: Use the exec form.
mistakes:
  shell-form:
    about: Shell form.
    fails: [pid1-is-node]
  wrapper:
    about: A wrapper.
    fails: [pid1-is-node]
`;

/** Writes files (path -> content) under a new temporary lessons folder and returns it. */
function makeLessons(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-lessons-test-'));
  tempDirs.push(root);
  for (const [relative, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), content);
  }
  return root;
}

/** A valid one-lesson, one-exercise curriculum, with changes. */
function validLessons(changes: Record<string, string | null> = {}): Record<string, string> {
  const files: Record<string, string | null> = {
    '01-demo/lesson.md': '---\ntitle: Demo lesson\nsummary: A lesson for tests.\n---\n## Body\n',
    '01-demo/exercises/ex/exercise.yaml': EXERCISE_YAML,
    '01-demo/exercises/ex/Dockerfile': 'FROM lab/node\nCMD node server.js\n',
    '01-demo/exercises/ex/server.js': 'console.log(1)\n',
    '01-demo/exercises/ex/solution/Dockerfile': 'FROM lab/node\nCMD ["node", "server.js"]\n',
    '01-demo/exercises/ex/wrong/shell-form/Dockerfile': 'FROM lab/node\nCMD node server.js\n',
    '01-demo/exercises/ex/wrong/wrapper/Dockerfile': 'FROM lab/node\nCMD ["sh", "-c", "node server.js"]\n',
    ...changes,
  };
  return Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string] => entry[1] !== null));
}

/** The problems loadCurriculum reports for a folder (fails the test when it loads). */
function problemsOf(dir: string): string[] {
  try {
    loadCurriculum(dir);
  } catch (error) {
    assert.ok(error instanceof CurriculumError, `expected a CurriculumError, got ${String(error)}`);
    assert.match(error.message, new RegExp(`the curriculum has ${error.problems.length} problem\\(s\\)`));
    return error.problems;
  }
  assert.fail('the curriculum loaded without problems');
}

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

// --- diagnosis exercises ------------------------------------------------------------------------

const DIAGNOSIS_YAML = `format_version: 1
kind: diagnosis
order: 2
title: Diagnose
instructions: Say why it stopped.
files: [answer.json]
incident:
  container: my-api
mistakes:
  wrong-code:
    about: The application's code.
    fails: [exit-code]
  wrong-cause:
    about: Blames memory.
    fails: [cause]
`;

/** The valid curriculum with a diagnosis exercise added, with changes. */
function withDiagnosis(changes: Record<string, string | null> = {}): Record<string, string> {
  const answer = '{"pid1": "node a.js", "exitCode": 1, "cause": "crashed"}\n';
  return validLessons({
    '01-demo/exercises/why/exercise.yaml': DIAGNOSIS_YAML,
    '01-demo/exercises/why/answer.json': '{"pid1": "", "exitCode": null, "cause": ""}\n',
    '01-demo/exercises/why/solution/seed-1/answer.json': answer,
    '01-demo/exercises/why/solution/seed-7/answer.json': answer,
    '01-demo/exercises/why/wrong/wrong-code/seed-1/answer.json': answer,
    '01-demo/exercises/why/wrong/wrong-cause/seed-7/answer.json': answer,
    ...changes,
  });
}

test('a diagnosis exercise loads with its kind, its incident and the seeds of its cases', () => {
  const [lesson] = loadCurriculum(makeLessons(withDiagnosis()));
  const exercise = lesson.exercises.find((e) => e.name === 'why');
  assert.ok(exercise?.kind === 'diagnosis');
  assert.deepEqual(exercise.spec.files, ['answer.json']);
  assert.deepEqual(caseSeeds(exercise, 'solution'), [1, 7]);
  assert.deepEqual(caseSeeds(exercise, 'wrong/wrong-cause'), [7]);
  assert.equal(lesson.exercises.find((e) => e.name === 'ex')?.kind, 'build', 'an exercise that names no kind builds');
});

test('a diagnosis case folder that holds anything but seed-<N>/ folders of answer files is a problem', () => {
  const problems = problemsOf(
    makeLessons(
      withDiagnosis({
        '01-demo/exercises/why/solution/answer.json': '{}',
        '01-demo/exercises/why/wrong/wrong-code/seed-1/notes.md': 'x',
        '01-demo/exercises/why/wrong/wrong-cause/latest/answer.json': '{}',
      }),
    ),
  );
  assert.equal(problems.length, 3, problems.join('\n'));
  for (const pattern of [
    /solution[/\\]answer\.json: a case of a diagnosis exercise holds only seed-<N>\/ folders$/,
    /wrong-code[/\\]seed-1[/\\]notes\.md: stray file/,
    /wrong-cause[/\\]latest: a case of a diagnosis exercise holds only seed-<N>\/ folders$/,
  ]) {
    assert.equal(problems.filter((p) => pattern.test(p)).length, 1, `${pattern}: ${problems.join('\n')}`);
  }
});

test('a diagnosis exercise must answer in answer.json, and its mistakes name its own checks', () => {
  const yaml = DIAGNOSIS_YAML.replace('files: [answer.json]', 'files: [answer.txt]').replace('fails: [cause]', 'fails: [pid1-is-node]');
  const problems = problemsOf(makeLessons(withDiagnosis({ '01-demo/exercises/why/exercise.yaml': yaml })));
  assert.ok(problems.some((p) => /exercise\.yaml: files: a diagnosis exercise has one file: \[answer\.json\]/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /exercise\.yaml: mistakes\.wrong-cause\.fails\.0: /.test(p)), problems.join('\n'));
});
