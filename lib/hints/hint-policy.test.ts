import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refusalToOpen, solutionAccess, unlockedLevel } from './hint-policy';

test('steps open by themselves after 2 and 3 failed runs', () => {
  assert.deepEqual([0, 1, 2, 3, 9].map(unlockedLevel), [1, 1, 2, 3, 3]);
});

test('a requested step needs the one before it; an unlocked one needs the failed runs', () => {
  assert.equal(refusalToOpen(2, 'requested', 0, 1), undefined);
  assert.match(refusalToOpen(3, 'requested', 1, 1) ?? '', /idea/);
  assert.equal(refusalToOpen(3, 'requested', 1, 2), undefined);
  assert.equal(refusalToOpen(3, 'requested', 2, 1), undefined, 'two failed runs opened the idea');
  assert.match(refusalToOpen(2, 'unlocked', 1, 1) ?? '', /2 failed runs/);
  assert.equal(refusalToOpen(3, 'unlocked', 3, 1), undefined);
});

test('the solution: held back first, then open after a pass, a fix seen, or three failed runs', () => {
  const state = { held: false, passed: false, fixSeen: false, failedRuns: 1 };
  assert.equal(solutionAccess(state), 'after-hints');
  assert.equal(solutionAccess({ ...state, fixSeen: true }), 'open');
  assert.equal(solutionAccess({ ...state, passed: true }), 'open');
  assert.equal(solutionAccess({ ...state, failedRuns: 3 }), 'open');
  assert.equal(solutionAccess({ ...state, failedRuns: 3, held: true }), 'held');
});
