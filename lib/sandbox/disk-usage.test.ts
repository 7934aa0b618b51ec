import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { measureTree, overDiskLimits } from './disk-usage';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-disk-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('a tree is measured in allocated bytes and entries, directories included, links not followed', async () => {
  const dir = path.join(root, 'tree');
  fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a/b/one'), Buffer.alloc(100_000, 1));
  fs.writeFileSync(path.join(dir, 'two'), 'x');
  fs.symlinkSync('/usr', path.join(dir, 'link'));
  const usage = await measureTree(dir, { diskBytes: 1e9, diskFiles: 1e6 });
  assert.equal(usage.files, 5, 'a, a/b, a/b/one, two, link');
  const expected = ['a', 'a/b', 'a/b/one', 'two', 'link'].reduce(
    (sum, name) => sum + fs.lstatSync(path.join(dir, name)).blocks * 512,
    0,
  );
  assert.equal(usage.bytes, expected);
  assert.ok(usage.bytes >= 100_000);
});

test('the walk stops just past a limit, so a huge tree costs no more than the limit', async () => {
  const dir = path.join(root, 'many');
  fs.mkdirSync(dir);
  for (let i = 0; i < 500; i++) fs.writeFileSync(path.join(dir, String(i)), '');
  const usage = await measureTree(dir, { diskBytes: 1e9, diskFiles: 100 });
  assert.equal(usage.files, 101);
  assert.equal(overDiskLimits(usage, { diskBytes: 1e9, diskFiles: 100 }), true);
  assert.equal(
    overDiskLimits({ bytes: 10 }, { diskBytes: 100, diskFiles: 0 }),
    false,
    'bytes only: files are not judged',
  );
});

test('a directory that does not exist measures as empty', async () => {
  assert.deepEqual(await measureTree(path.join(root, 'none'), { diskBytes: 1, diskFiles: 1 }), { bytes: 0, files: 0 });
});
