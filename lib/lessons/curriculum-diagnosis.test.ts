// Diagnosis exercises as the loader reads them: their kind, incident and the seeds of their cases, and
// the problems of their case folders, answer file and mistakes. Temporary curricula.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { caseSeeds, loadCurriculum } from './curriculum';
import { DIAGNOSIS_YAML, makeLessons, problemsOf, removeTempLessons, withDiagnosis } from './curriculum-fixtures';

after(removeTempLessons);

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
