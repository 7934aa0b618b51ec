import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult } from './check-result';
import { evaluateChecks } from './evaluate';
import { check, proc, runningWith } from './evaluate-fixtures';
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

// A mistake defined by what the lab saw: "shell-form CMD" is offered only when PID 1 is a shell with
// the program as its child, never for another way of failing the same check.
const pid1IsProgram = check('pid1-is-program', {
  type: 'pid1-command',
  matches: { program: 'node', script: 'daemon.js' },
  at: 'settled',
});
const shellForm = {
  'shell-form': {
    about: 'a shell is PID 1, the program its child',
    fails: ['pid1-is-program'],
    shows: [
      { scenario: 'main', assert: { type: 'pid1-command' as const, matches: { program: 'sh' }, at: 'settled' } },
      {
        scenario: 'main',
        assert: {
          type: 'child-of' as const,
          child: { program: 'node', script: 'daemon.js' },
          parentPid1: true,
          at: 'settled',
        },
      },
    ],
  },
  'by-checks-alone': { about: 'defined by its checks alone', fails: ['pid1-is-program'], passes: ['image-builds'] },
};

test('a mistake with observations is recognised only when they held in the run', () => {
  const shell = runningWith(proc(1, 0, '/bin/sh -c node daemon.js --foreground'), proc(7, 1, 'node daemon.js'));
  const results = evaluateChecks([pid1IsProgram], shell.events, shellForm);
  assert.deepEqual(results[1].observedMistakes, ['shell-form']);
  assert.deepEqual(
    recogniseMistakes(shellForm, results).map((m) => m.id),
    ['shell-form', 'by-checks-alone'],
  );
  // The same check failed by a daemon that forked and left: no shell was seen, so no shell is blamed.
  const forked = runningWith(proc(1, 0, 'tail -f /dev/null'), proc(9, 1, 'node daemon.js --daemonize'));
  const other = evaluateChecks([pid1IsProgram], forked.events, shellForm);
  assert.equal(other[1].status, 'fail');
  assert.equal(other[1].observedMistakes, undefined);
  assert.deepEqual(
    recogniseMistakes(shellForm, other).map((m) => m.id),
    ['by-checks-alone'],
  );
});

test('a mistake is recognised only when the checks it passes passed', () => {
  const withPasses = {
    'pid-file-kept': { about: 'runs fine but writes a PID file', fails: ['stops'], passes: ['pid1'] },
  };
  assert.deepEqual(
    recogniseMistakes(withPasses, [result('pid1', 'pass'), result('stops', 'fail')]).map((m) => m.id),
    ['pid-file-kept'],
  );
  assert.deepEqual(recogniseMistakes(withPasses, [result('pid1', 'fail'), result('stops', 'fail')]), []);
});

test('stored results without the marks of observations recognise no mistake that needs them', () => {
  const stored = [result('image-builds', 'pass'), result('pid1-is-program', 'fail')];
  assert.deepEqual(recogniseMistakes({ 'shell-form': shellForm['shell-form'] }, stored), []);
});
