import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overallStatus, type CheckResult, type CheckStatus } from './check-result';

function result(id: string, status: CheckStatus, bonus = false): CheckResult {
  return { id, title: id, status, bonus, message: `${id} ${status}`, expected: 'e', observed: 'o' };
}

test('overallStatus is pass when every check passes', () => {
  assert.equal(overallStatus([result('a', 'pass'), result('b', 'pass')]), 'pass');
});

test('overallStatus of no results is pass', () => {
  assert.equal(overallStatus([]), 'pass');
});

test('overallStatus is fail when a required check fails', () => {
  assert.equal(overallStatus([result('a', 'pass'), result('b', 'fail'), result('c', 'pass')]), 'fail');
});

test('overallStatus is error when a check could not be observed, even beside failures', () => {
  assert.equal(overallStatus([result('a', 'fail'), result('b', 'error'), result('c', 'pass')]), 'error');
  assert.equal(overallStatus([result('a', 'error'), result('b', 'fail')]), 'error');
  assert.equal(overallStatus([result('a', 'pass'), result('b', 'error')]), 'error');
});

test('a failing bonus check does not decide the overall status', () => {
  assert.equal(overallStatus([result('a', 'pass'), result('b', 'fail', true)]), 'pass');
  assert.equal(overallStatus([result('a', 'fail'), result('b', 'fail', true)]), 'fail');
  assert.equal(overallStatus([result('a', 'fail', true), result('b', 'fail', true)]), 'pass');
});
