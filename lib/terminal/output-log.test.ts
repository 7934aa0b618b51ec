// The output log: absolute offsets, bounded memory, and reads from any offset it still holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutputLog } from './output-log';

const text = (pieces: Buffer[]) => Buffer.concat(pieces).toString();

test('keeps absolute offsets while it drops the oldest bytes past its capacity', () => {
  const log = new OutputLog(10);
  log.append(Buffer.from('abcdef'));
  log.append(Buffer.from('ghijkl'));
  assert.equal(log.end, 12);
  assert.equal(log.start, 2);
  assert.equal(text(log.readFrom(2, 100)), 'cdefghijkl');
  assert.equal(text(log.readFrom(7, 100)), 'hijkl');
  log.append(Buffer.from('mnopqrstuvwxyz'));
  assert.equal(log.start, 16);
  assert.equal(text(log.readFrom(20, 100)), 'uvwxyz');
});

test('an offset older than the log reads from its start; one at the end reads nothing', () => {
  const log = new OutputLog(4);
  log.append(Buffer.from('123456'));
  assert.equal(text(log.readFrom(0, 100)), '3456');
  assert.deepEqual(log.readFrom(6, 100), []);
  assert.deepEqual(log.readFrom(99, 100), []);
});

test('reads in pieces no larger than asked', () => {
  const log = new OutputLog(100);
  log.append(Buffer.from('a'.repeat(25)));
  log.append(Buffer.from('b'.repeat(5)));
  const pieces = log.readFrom(3, 10);
  assert.deepEqual(
    pieces.map((piece) => piece.length),
    [10, 10, 2, 5],
  );
  assert.equal(text(pieces), 'a'.repeat(22) + 'b'.repeat(5));
});
