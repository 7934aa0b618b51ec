import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult } from './check-result';
import { recogniseMistakes } from './mistakes';

const result = (id: string, status: CheckResult['status']): CheckResult => ({
  id,
  title: id,
  status,
  message: '',
  expected: '',
  observed: '',
  bonus: false,
});
const mistakes = {
  'shell-form-cmd': { about: 'a shell is PID 1', fails: ['pid1', 'stops'] },
  'exit-code-swallowed': { about: 'the wrapper hides the code', fails: ['pid1', 'crash-code'] },
  'no-handler': { about: 'no SIGTERM handler', fails: ['stops'] },
};

test('a result looks like the mistakes whose checks all failed, the most specific first', () => {
  const results = [
    result('image-builds', 'pass'),
    result('pid1', 'fail'),
    result('stops', 'fail'),
    result('crash-code', 'pass'),
  ];
  assert.deepEqual(
    recogniseMistakes(mistakes, results).map((m) => m.id),
    ['shell-form-cmd', 'no-handler'],
  );
});

test('nothing is recognised when the image did not build, or when nothing failed', () => {
  assert.deepEqual(
    recogniseMistakes(mistakes, [result('image-builds', 'fail'), result('pid1', 'fail'), result('stops', 'fail')]),
    [],
  );
  assert.deepEqual(recogniseMistakes(mistakes, [result('image-builds', 'pass'), result('pid1', 'pass')]), []);
});
