// ADD unpacks what the engine's Go tar reader takes for an archive: the lab must call every such file
// an archive, however its header is written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isArchive } from './archive-magic';

/** A V7 header (no ustar magic) for `name`, its checksum field written with `write`. */
function v7Header(name: string, write: (sum: number) => string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0);
  block.write('0000644\0', 100);
  block.write('00000000000\0', 124);
  block.fill(' ', 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(write(sum), 148, 'latin1');
  return block;
}

test('a header Go reads is an archive, in every way Go reads its checksum', () => {
  for (const write of [
    (sum: number) => `${sum.toString(8).padStart(6, '0')}\0 `,
    (sum: number) => `${sum.toString(8).padStart(6, '0')}\x007`, // Go cuts at the NUL: the 7 is ignored
    (sum: number) => ` ${sum.toString(8)}\0\0\0`.slice(0, 8),
    (sum: number) => `${sum.toString(8)}`.padEnd(8, ' '),
  ]) {
    assert.equal(isArchive(v7Header('hello.txt', write)), true, JSON.stringify(write(0)));
  }
  assert.equal(isArchive(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.alloc(20)])), true, 'gzip');
  assert.equal(isArchive(Buffer.from('BZh91AY&SY')), true, 'bzip2');
});

test('text, a short file and a wrong checksum are not archives', () => {
  assert.equal(isArchive(Buffer.from('console.log(1)\n')), false);
  assert.equal(isArchive(Buffer.alloc(100)), false);
  assert.equal(isArchive(Buffer.alloc(1024)), false, 'zero blocks are the end of an archive, not an entry');
  assert.equal(isArchive(v7Header('x', () => '0000001\0')), false);
});
