// Finding and reading a container's memory cgroup files, v1 and v2, in a fake /proc and /sys/fs/cgroup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { memoryFiles, readMemory, readOomKills } from './memory-watch';

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

test("the kernel's count of OOM kills: v1's memory.oom_control, v2's memory.events, gone with the cgroup", () => {
  const v1 = fakeHost('9:memory:/docker/abc\n', {
    'memory/docker/abc/memory.usage_in_bytes': '1000\n',
    'memory/docker/abc/memory.limit_in_bytes': '8000\n',
    'memory/docker/abc/memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
  });
  const v1Files = memoryFiles(42, v1.procRoot, v1.cgroupRoot);
  assert.ok(v1Files);
  assert.equal(readOomKills(v1Files), 2);
  v1.remove();
  assert.equal(readOomKills(v1Files), null);

  const v2 = fakeHost('0::/system.slice/docker-abc.scope\n', {
    'system.slice/docker-abc.scope/memory.current': '3000',
    'system.slice/docker-abc.scope/memory.max': 'max',
    'system.slice/docker-abc.scope/memory.events': 'low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\noom_group_kill 0\n',
  });
  const v2Files = memoryFiles(42, v2.procRoot, v2.cgroupRoot);
  assert.ok(v2Files);
  assert.equal(readOomKills(v2Files), 1);
  v2.remove();

  // A kernel before 4.13 keeps no count: there is no file to read, not a count of 0.
  const old = fakeHost('9:memory:/docker/abc\n', {
    'memory/docker/abc/memory.usage_in_bytes': '1000\n',
    'memory/docker/abc/memory.limit_in_bytes': '8000\n',
    'memory/docker/abc/memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\n',
  });
  assert.equal(memoryFiles(42, old.procRoot, old.cgroupRoot)?.oomEvents, null);
  old.remove();
});
