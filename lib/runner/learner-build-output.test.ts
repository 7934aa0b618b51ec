// The build output the learner reads: the lab's LABEL step left out, the steps counted as in their file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LearnerBuildOutput } from './learner-build-output';

/** What the legacy builder prints for a learner's three steps and the lab's LABEL, one line each. */
const BUILT = [
  'Step 1/4 : FROM lab/node',
  ' ---> 0123456789ab',
  'Step 2/4 : WORKDIR /app',
  ' ---> Using cache',
  ' ---> 1123456789ab',
  'Step 3/4 : CMD ["node", "server.js"]',
  ' ---> Running in 2223456789ab',
  'Removing intermediate container 2223456789ab',
  ' ---> 3323456789ab',
  'Step 4/4 : LABEL lab.run="r1" lab.owner="learner" lab.expires="1764547200000"',
  ' ---> Running in 4423456789ab',
  'Removing intermediate container 4423456789ab',
  ' ---> 5523456789ab',
  'Successfully built 5523456789ab',
  'Successfully tagged lab-run:r1',
];

function shown(lines: string[]): string[] {
  const out: string[] = [];
  const output = new LearnerBuildOutput((text) => out.push(text));
  for (const line of lines) output.line(line);
  return out;
}

test("the lab's LABEL step is left out, and the learner's steps are counted as in their file", () => {
  assert.deepEqual(shown(BUILT), [
    'Step 1/3 : FROM lab/node',
    ' ---> 0123456789ab',
    'Step 2/3 : WORKDIR /app',
    ' ---> Using cache',
    ' ---> 1123456789ab',
    'Step 3/3 : CMD ["node", "server.js"]',
    ' ---> Running in 2223456789ab',
    'Removing intermediate container 2223456789ab',
    ' ---> 3323456789ab',
    'Successfully built 5523456789ab',
    'Successfully tagged lab-run:r1',
  ]);
});

test('a failed step of the learner is shown with its error and their count', () => {
  assert.deepEqual(
    shown([
      'Step 1/3 : FROM lab/node',
      ' ---> 0123456789ab',
      'Step 2/3 : RUN false',
      ' ---> Running in 2223456789ab',
      "The command '/bin/sh -c false' returned a non-zero code: 1",
    ]),
    [
      'Step 1/2 : FROM lab/node',
      ' ---> 0123456789ab',
      'Step 2/2 : RUN false',
      ' ---> Running in 2223456789ab',
      "The command '/bin/sh -c false' returned a non-zero code: 1",
    ],
  );
});

test("steps after the lab's (a later stage) are numbered without it; a learner's own LABEL stays", () => {
  assert.deepEqual(
    shown([
      'Step 1/4 : FROM lab/node AS base',
      'Step 2/4 : LABEL lab.run="r1"',
      ' ---> 0123456789ab',
      'Step 3/4 : FROM base',
      'Step 4/4 : LABEL app.name="mine"',
    ]),
    ['Step 1/3 : FROM lab/node AS base', 'Step 2/3 : FROM base', 'Step 3/3 : LABEL app.name="mine"'],
  );
});
