// The tar the engine gets, read back with tar-stream; and which files ADD could unpack.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { isArchive, packCanonical } from './build-context';
import { entriesOf, tarOf } from './build-context-fixtures';

describe('packCanonical', () => {
  test('writes long names in the ustar prefix or a pax path, keeps a mode of 0, and refuses names that are not plain', async () => {
    const inPrefix = `${'d'.repeat(120)}/${'f'.repeat(90)}`;
    const inPax = `${'e'.repeat(200)}/${'g'.repeat(120)}`;
    const tar = packCanonical(
      [
        { name: inPrefix, content: Buffer.from('1'), mode: 0 },
        { name: inPax, content: Buffer.from('2'), mode: 0o600 },
      ],
      [],
    );
    assert.deepEqual(
      (await entriesOf(tar)).map((e) => [e.name, e.mode, e.content.toString()]),
      [
        [inPrefix, 0, '1'],
        [inPax, 0o600, '2'],
      ],
    );
    for (const name of ['/a', 'a/../b', 'a//b', './a']) {
      assert.throws(
        () => packCanonical([{ name, content: Buffer.alloc(0), mode: 0o644 }], []),
        /not a plain, distinct name/,
      );
    }
    assert.throws(
      () => packCanonical([{ name: 'a', content: Buffer.alloc(0), mode: 0o644 }], ['a']),
      /not a plain, distinct name/,
    );
  });
});

describe('isArchive', () => {
  test('says yes to what ADD could unpack and no to other files', async () => {
    const archive = await tarOf([{ name: 'a', content: 'x' }]);
    assert.equal(isArchive(archive), true);
    assert.equal(isArchive(zlib.gzipSync(Buffer.from('anything'))), true);
    for (const magic of ['425a68', 'fd377a585a00', '28b52ffd'])
      assert.equal(isArchive(Buffer.concat([Buffer.from(magic, 'hex'), Buffer.alloc(10)])), true);
    // An old V7 header (no ustar magic) with a right checksum: Go's tar reader, and so ADD, takes it.
    const v7 = Buffer.from(archive.subarray(0, 512));
    v7.fill(0, 257, 265);
    v7.write('        ', 148, 'latin1');
    v7.write(
      `${v7
        .reduce((sum, byte) => sum + byte, 0)
        .toString(8)
        .padStart(6, '0')}\0 `,
      148,
      'latin1',
    );
    assert.equal(isArchive(v7), true);
    assert.equal(isArchive(Buffer.from('console.log("not an archive")\n'.repeat(40))), false);
    assert.equal(isArchive(Buffer.alloc(1024)), false);
    assert.equal(isArchive(Buffer.alloc(0)), false);
  });
});
