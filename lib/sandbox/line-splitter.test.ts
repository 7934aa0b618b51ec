// Lines from chunks, bounded: what a learner's program prints cannot make a line grow without end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLines } from './line-splitter';

test('lines across chunks, CRLF, and the last line on flush', () => {
  const lines: string[] = [];
  const split = splitLines((line) => lines.push(line));
  split.push('a\r\nb');
  split.push('c\nd');
  split.flush();
  assert.deepEqual(lines, ['a', 'bc', 'd']);
});

test('a line past the limit is passed on cut, once, and the rest of it dropped', () => {
  const lines: string[] = [];
  const split = splitLines((line) => lines.push(line), 10);
  split.push('x'.repeat(8));
  split.push('x'.repeat(8));
  split.push('y'.repeat(100));
  split.push('z\nnext\n');
  assert.deepEqual(lines, [`${'x'.repeat(10)}…`, 'next']);
});
