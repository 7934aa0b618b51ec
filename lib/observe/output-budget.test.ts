import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutputBudget } from './output-budget';

test('lines are kept until the budget (bytes and a newline each) is spent, then one truncate, then drops', () => {
  const budget = new OutputBudget(10);
  assert.equal(budget.take('abcd'), 'keep'); // 5
  assert.equal(budget.take('abcd'), 'keep'); // 10: exactly the budget
  assert.equal(budget.take(''), 'truncate'); // 11
  assert.equal(budget.take('x'), 'drop');
  assert.equal(budget.take(''), 'drop');
});

test('bytes, not characters, are counted', () => {
  const budget = new OutputBudget(4);
  assert.equal(budget.take('é'), 'keep'); // 2 bytes + 1
  assert.equal(budget.take('é'), 'truncate');
});
