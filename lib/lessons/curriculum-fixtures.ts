// Temporary curricula for the tests of the loader: a valid one-lesson, one-exercise folder (and one with a
// diagnosis exercise beside it) that a test changes file by file, and the problems the loader reports for
// it. Every folder made here is removed by removeTempLessons, which the test files run after their tests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CurriculumError, loadCurriculum } from './curriculum';

const tempDirs: string[] = [];

/** Removes every temporary lessons folder made so far. */
export function removeTempLessons(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The exercise.yaml of the valid temporary curriculum: one scenario, one check, two mistakes. */
export const EXERCISE_YAML = `format_version: 1
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
export function makeLessons(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-lessons-test-'));
  tempDirs.push(root);
  for (const [relative, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), content);
  }
  return root;
}

/** A valid one-lesson, one-exercise curriculum, with changes. */
export function validLessons(changes: Record<string, string | null> = {}): Record<string, string> {
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
export function problemsOf(dir: string): string[] {
  try {
    loadCurriculum(dir);
  } catch (error) {
    assert.ok(error instanceof CurriculumError, `expected a CurriculumError, got ${String(error)}`);
    assert.match(error.message, new RegExp(`the curriculum has ${error.problems.length} problem\\(s\\)`));
    return error.problems;
  }
  assert.fail('the curriculum loaded without problems');
}

/** The exercise.yaml of a diagnosis exercise: an incident and two mistakes. */
export const DIAGNOSIS_YAML = `format_version: 1
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
export function withDiagnosis(changes: Record<string, string | null> = {}): Record<string, string> {
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
