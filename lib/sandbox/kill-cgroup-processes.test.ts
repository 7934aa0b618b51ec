// A build stopped while a step ends: the step's cgroup may vanish between the listing and the reading.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cgroupProcs } from './kill-cgroup-processes';

test('a cgroup gone before it is read has no processes; other read errors still throw', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-cgroup-'));
  fs.writeFileSync(path.join(dir, 'cgroup.procs'), '12\n34\n');
  assert.deepEqual(cgroupProcs(dir), [12, 34]);
  fs.rmSync(dir, { recursive: true });
  assert.deepEqual(cgroupProcs(dir), [], 'removed between the listing and the reading');
  const file = path.join(os.tmpdir(), `lab-cgroup-file-${process.pid}`);
  fs.writeFileSync(file, '');
  try {
    assert.throws(() => cgroupProcs(file), /ENOTDIR/);
  } finally {
    fs.rmSync(file);
  }
});
