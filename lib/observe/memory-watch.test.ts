// Finding and reading a container's memory cgroup files, v1 and v2, in a fake /proc and /sys/fs/cgroup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { memoryFiles, readMemory } from './memory-watch';

function fakeHost(cgroup: string, files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-watch-'));
  fs.mkdirSync(path.join(root, 'proc/42'), { recursive: true });
  fs.writeFileSync(path.join(root, 'proc/42/cgroup'), cgroup);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, 'sys', file)), { recursive: true });
    fs.writeFileSync(path.join(root, 'sys', file), text);
  }
  return {
    procRoot: path.join(root, 'proc'),
    cgroupRoot: path.join(root, 'sys'),
    remove: () => fs.rmSync(root, { recursive: true }),
  };
}

test('cgroup v1: usage, the kernel peak and the limit of the memory controller', () => {
  const host = fakeHost('12:pids:/docker/abc\n9:memory:/docker/abc\n', {
    'memory/docker/abc/memory.usage_in_bytes': '1000\n',
    'memory/docker/abc/memory.max_usage_in_bytes': '5000\n',
    'memory/docker/abc/memory.limit_in_bytes': '8000\n',
  });
  const files = memoryFiles(42, host.procRoot, host.cgroupRoot);
  assert.ok(files);
  assert.deepEqual(readMemory(files, 1), { bytes: 1000, peakBytes: 5000, limitBytes: 8000 });
  host.remove();
});

test('cgroup v2: memory.current and memory.max, the peak from the readings where the kernel keeps none', () => {
  const host = fakeHost('0::/system.slice/docker-abc.scope\n', {
    'system.slice/docker-abc.scope/memory.current': '3000',
    'system.slice/docker-abc.scope/memory.max': 'max',
  });
  const files = memoryFiles(42, host.procRoot, host.cgroupRoot);
  assert.ok(files);
  assert.equal(files.peak, null);
  assert.deepEqual(readMemory(files, 9999), { bytes: 3000, peakBytes: 3000, limitBytes: 9999 });
  host.remove();
  assert.equal(readMemory(files, 9999), null);
  assert.equal(memoryFiles(42, host.procRoot, host.cgroupRoot), null);
});
