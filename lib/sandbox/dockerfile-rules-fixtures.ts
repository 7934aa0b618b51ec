// What the tests of checkDockerfile share: the lab images a Dockerfile may build FROM, a Dockerfile given as
// lines, and assertions on the problems it has.
import assert from 'node:assert/strict';
import { checkDockerfile } from './dockerfile-rules';

/** The images of the lab that the tests allow in FROM. */
export const LAB_IMAGES = ['lab/node'];

/** The problems of a Dockerfile given as lines. */
export function check(...lines: string[]) {
  return checkDockerfile(lines.join('\n'), LAB_IMAGES);
}

/** The 1-based lines named by the problems, in order. */
export function linesOf(problems: ReturnType<typeof checkDockerfile>): (number | undefined)[] {
  return problems.map((problem) => problem.line);
}

/** Asserts exactly one problem, on `line`, whose message matches `message`. */
export function assertOneProblem(problems: ReturnType<typeof checkDockerfile>, line: number, message: RegExp) {
  assert.equal(problems.length, 1, `expected one problem, got ${JSON.stringify(problems)}`);
  assert.equal(problems[0].file, 'Dockerfile');
  assert.equal(problems[0].line, line);
  assert.match(problems[0].message, message);
}
