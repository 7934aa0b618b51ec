import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLearnerFiles, type LearnerFile } from './learner-files';
import { CONTEXT_LIMITS, type ContextLimits } from './limits';

const DOCKERFILE: LearnerFile = { name: 'Dockerfile', content: 'FROM lab/node\nCMD ["node", "server.js"]\n' };
const SMALL: ContextLimits = { maxFiles: 3, maxFileBytes: 10, maxTotalBytes: 25 };

function file(name: string, content = 'x'): LearnerFile {
  return { name, content };
}

test('a normal set of files is accepted', () => {
  const files = [
    DOCKERFILE,
    file('server.js', 'require("http")'),
    file('entrypoint.sh', '#!/bin/sh\nexec node server.js\n'),
    file('supervisord.conf'),
    file('_a-b.c_d'),
  ];
  assert.deepEqual(checkLearnerFiles(files), []);
});

test('a name with ".." is refused', () => {
  assert.deepEqual(checkLearnerFiles([DOCKERFILE, file('..')]), [
    {
      file: '..',
      message: 'file names must be plain names in the exercise folder: no "..", no "/", no absolute paths',
    },
  ]);
  assert.equal(checkLearnerFiles([DOCKERFILE, file('a..b')]).length, 1);
});

test('an absolute path is refused', () => {
  const problems = checkLearnerFiles([DOCKERFILE, file('/etc/passwd')]);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].file, '/etc/passwd');
  assert.match(problems[0].message, /no absolute paths/);
});

test('names with a slash or a backslash are refused', () => {
  for (const name of ['app/server.js', 'app\\server.js', 'server.js/']) {
    const problems = checkLearnerFiles([DOCKERFILE, file(name)]);
    assert.equal(problems.length, 1, name);
    assert.equal(problems[0].file, name);
    assert.match(problems[0].message, /plain names/);
  }
});

test('names with characters outside letters, digits, ".", "_" and "-" are refused', () => {
  for (const name of ['my file.js', 'a$b', 'é.js', 'x;rm', '.hidden', '-flag', '', 'a\nb']) {
    const problems = checkLearnerFiles([DOCKERFILE, file(name)]);
    assert.equal(problems.length, 1, JSON.stringify(name));
    assert.equal(problems[0].file, name);
    assert.equal(problems[0].message, 'file names may use letters, digits, ".", "_" and "-" only');
  }
});

test('the same name twice is refused once, naming the file', () => {
  const problems = checkLearnerFiles([DOCKERFILE, file('a.js'), file('a.js')]);
  assert.deepEqual(problems, [{ file: 'a.js', message: 'the same file name appears twice' }]);
});

test('more files than the limit are refused', () => {
  const problems = checkLearnerFiles([DOCKERFILE, file('a'), file('b'), file('c')], {
    ...SMALL,
    maxFileBytes: 1000,
    maxTotalBytes: 1000,
  });
  assert.deepEqual(problems, [{ file: '(files)', message: '4 files; the limit is 3' }]);
});

test('exactly the limit of files is accepted', () => {
  assert.deepEqual(checkLearnerFiles([file('Dockerfile'), file('a'), file('b')], SMALL), []);
});

test('a file larger than the per-file limit is refused, counting UTF-8 bytes', () => {
  assert.deepEqual(checkLearnerFiles([file('Dockerfile'), file('big', '12345678901')], SMALL), [
    { file: 'big', message: 'file is 11 bytes; the limit is 10 bytes' },
  ]);
  // 'é' is two bytes in UTF-8: six of them are 12 bytes, though only 6 characters.
  const problems = checkLearnerFiles([file('Dockerfile'), file('accents', 'éééééé')], SMALL);
  assert.deepEqual(problems, [{ file: 'accents', message: 'file is 12 bytes; the limit is 10 bytes' }]);
});

test('a file exactly at the per-file limit is accepted', () => {
  assert.deepEqual(checkLearnerFiles([file('Dockerfile'), file('ten', '1234567890')], SMALL), []);
});

test('files that add up to more than the total limit are refused', () => {
  const files = [file('Dockerfile', '1234567890'), file('a', '1234567890'), file('b', '123456')];
  assert.deepEqual(checkLearnerFiles(files, SMALL), [
    { file: '(files)', message: 'the files add up to 26 bytes; the limit is 25 bytes' },
  ]);
});

test('a missing Dockerfile is refused', () => {
  assert.deepEqual(checkLearnerFiles([file('server.js')]), [{ file: 'Dockerfile', message: 'there is no Dockerfile' }]);
  assert.deepEqual(checkLearnerFiles([]), [{ file: 'Dockerfile', message: 'there is no Dockerfile' }]);
  // The name is case-sensitive, as it is for the builder.
  assert.deepEqual(checkLearnerFiles([file('dockerfile')]), [
    { file: 'Dockerfile', message: 'there is no Dockerfile' },
  ]);
});

test('a Dockerfile with an unsafe name elsewhere does not count as the Dockerfile', () => {
  const problems = checkLearnerFiles([file('../Dockerfile')]);
  assert.deepEqual(
    problems.map((p) => p.file),
    ['../Dockerfile', 'Dockerfile'],
  );
});

test('every problem of a set is reported', () => {
  const problems = checkLearnerFiles([file('a/b'), file('x y'), file('big', '12345678901'), file('big', '1')], SMALL);
  assert.deepEqual(
    problems.map((p) => p.file),
    ['a/b', 'x y', 'big', 'big', '(files)', 'Dockerfile'],
  );
});

test('the default limits are the CONTEXT_LIMITS', () => {
  const tooMany = [DOCKERFILE, ...Array.from({ length: CONTEXT_LIMITS.maxFiles }, (_, i) => file(`f${i}`))];
  assert.deepEqual(checkLearnerFiles(tooMany), [
    { file: '(files)', message: `${CONTEXT_LIMITS.maxFiles + 1} files; the limit is ${CONTEXT_LIMITS.maxFiles}` },
  ]);
  const big = [DOCKERFILE, file('big', 'x'.repeat(CONTEXT_LIMITS.maxFileBytes + 1))];
  assert.equal(
    checkLearnerFiles(big)[0].message,
    `file is ${CONTEXT_LIMITS.maxFileBytes + 1} bytes; the limit is ${CONTEXT_LIMITS.maxFileBytes} bytes`,
  );
});
