// The folder cache: a loader's result is kept while the folder is unchanged, read again after an edit
// (checked at most once a second), and shared read-only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { folderCache, folderFingerprint } from './folder-cache';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-folder-cache-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function folder(): string {
  const dir = fs.mkdtempSync(path.join(root, 'case-'));
  fs.mkdirSync(path.join(dir, 'a'));
  fs.writeFileSync(path.join(dir, 'a', 'one.yaml'), 'x: 1\n');
  return dir;
}

describe('folderCache', () => {
  test('reads once while nothing changes, and again after an edit once the second has passed', () => {
    const dir = folder();
    let clock = 0;
    let reads = 0;
    const load = folderCache((d) => {
      reads += 1;
      return { text: fs.readFileSync(path.join(d, 'a', 'one.yaml'), 'utf8') };
    }, () => clock);
    assert.equal(load(dir).text, 'x: 1\n');
    clock += 5000;
    assert.equal(load(dir).text, 'x: 1\n');
    assert.equal(reads, 1, 'unchanged: the fingerprint matched and nothing was read again');

    fs.writeFileSync(path.join(dir, 'a', 'one.yaml'), 'x: 22\n');
    clock += 500;
    assert.equal(load(dir).text, 'x: 1\n', 'within the second, the kept result');
    clock += 600;
    assert.equal(load(dir).text, 'x: 22\n');
    assert.equal(reads, 2);
  });

  test('a file added, removed or renamed anywhere in the tree changes the fingerprint', () => {
    const dir = folder();
    const prints = [folderFingerprint(dir)];
    fs.mkdirSync(path.join(dir, 'a', 'deep'));
    prints.push(folderFingerprint(dir));
    fs.writeFileSync(path.join(dir, 'a', 'deep', 'two.md'), 'y');
    prints.push(folderFingerprint(dir));
    fs.renameSync(path.join(dir, 'a', 'deep', 'two.md'), path.join(dir, 'a', 'deep', 'three.md'));
    prints.push(folderFingerprint(dir));
    fs.rmSync(path.join(dir, 'a', 'deep', 'three.md'));
    prints.push(folderFingerprint(dir));
    assert.equal(new Set(prints.slice(0, 4)).size, 4);
    assert.equal(folderFingerprint(dir), prints[4], 'the same tree, the same fingerprint');
  });

  test('the result is frozen to the bottom: a caller cannot change what others are given', () => {
    const load = folderCache(() => ({ lessons: [{ exercises: [{ files: ['Dockerfile'] }] }] }));
    const value = load(folder());
    assert.throws(() => value.lessons[0].exercises[0].files.push('x'), TypeError);
    assert.throws(() => ((value.lessons[0] as { title?: string }).title = 'y'), TypeError);
  });

  test('a loader that throws is not kept: the next call reads again', () => {
    const dir = folder();
    let calls = 0;
    const load = folderCache(() => {
      calls += 1;
      throw new Error('broken');
    });
    assert.throws(() => load(dir), /broken/);
    assert.throws(() => load(dir), /broken/);
    assert.equal(calls, 2);
  });
});
