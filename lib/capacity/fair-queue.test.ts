// The fair queue: owners take turns, one item each, in the order they first waited; within an owner,
// items keep their order; order() is exactly what shift() will give.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairQueue } from './fair-queue';

function drain<T>(queue: FairQueue<T>): T[] {
  const served: T[] = [];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) served.push(item);
  return served;
}

test('owners are served in turn, one item each, whatever their numbers', () => {
  const queue = new FairQueue<string>();
  for (let i = 1; i <= 5; i++) queue.push('ann', `ann${i}`);
  queue.push('bob', 'bob1');
  queue.push('cat', 'cat1');
  queue.push('bob', 'bob2');
  assert.equal(queue.size, 8);
  const expected = ['ann1', 'bob1', 'cat1', 'ann2', 'bob2', 'ann3', 'ann4', 'ann5'];
  assert.deepEqual(queue.order(), expected);
  assert.deepEqual(drain(queue), expected);
  assert.equal(queue.size, 0);
});

test('a newcomer waits behind at most one item of each owner already waiting', () => {
  const queue = new FairQueue<string>();
  for (let i = 1; i <= 10; i++) queue.push('ann', `ann${i}`);
  assert.equal(queue.shift(), 'ann1');
  queue.push('dan', 'dan1');
  assert.deepEqual(queue.order().slice(0, 3), ['ann2', 'dan1', 'ann3']);
});

test('an owner served goes to the back of the turns', () => {
  const queue = new FairQueue<string>();
  queue.push('ann', 'ann1');
  queue.push('ann', 'ann2');
  queue.push('bob', 'bob1');
  assert.equal(queue.shift(), 'ann1');
  queue.push('bob', 'bob2');
  assert.deepEqual(queue.order(), ['bob1', 'ann2', 'bob2']);
  assert.deepEqual(drain(queue), ['bob1', 'ann2', 'bob2']);
});

test('remove takes an item out wherever it waits, and forgets an owner left with none', () => {
  const queue = new FairQueue<string>();
  queue.push('ann', 'ann1');
  queue.push('bob', 'bob1');
  queue.push('ann', 'ann2');
  assert.equal(queue.remove('bob1'), true);
  assert.equal(queue.remove('bob1'), false);
  assert.equal(queue.size, 2);
  assert.deepEqual(drain(queue), ['ann1', 'ann2']);
  assert.equal(queue.shift(), undefined);
});
