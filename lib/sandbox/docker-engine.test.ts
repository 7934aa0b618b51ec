// The sandbox against the real engine: a learner's container gets every limit whatever the image asks, a
// fork bomb stops at the pids limit, the filesystem diff, and the lab images a learner may build FROM.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { engine, labels, OWNER, removeOwnResources, settings } from './docker-engine-fixtures';
import { RUN_LIMITS, runLimitsFor } from './limits';

after(removeOwnResources);

describe('learner containers', () => {
  test('are created with every sandbox limit, whatever the image asks', async () => {
    const id = await engine.create({
      labels: labels(),
      image: 'lab/node',
      settings,
      limits: runLimitsFor({ memoryMb: 128 }),
    });
    try {
      const info = await engine.docker.getContainer(id).inspect();
      const host = info.HostConfig;
      assert.equal(host.NetworkMode, 'none');
      assert.equal(
        (info.Config as { NetworkDisabled?: boolean }).NetworkDisabled,
        true,
        'no network hook: runc gives it loopback alone',
      );
      assert.equal(host.Memory, 128 * 1024 * 1024);
      assert.equal(host.MemorySwap, 128 * 1024 * 1024, 'no swap beyond the memory limit');
      assert.equal(host.PidsLimit, RUN_LIMITS.pids);
      assert.equal(host.CpuQuota, RUN_LIMITS.cpuQuota);
      assert.deepEqual(host.CapDrop, ['ALL']);
      assert.deepEqual(host.SecurityOpt, ['no-new-privileges']);
      assert.equal(host.Privileged, false);
      assert.deepEqual(host.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } });
      assert.ok(host.Ulimits?.some((u) => u.Name === 'nofile' && u.Hard === RUN_LIMITS.nofile));
      assert.ok(host.Ulimits?.some((u) => u.Name === 'fsize' && u.Hard === RUN_LIMITS.fileSizeBytes));
      assert.equal(info.Config.Labels['lab.owner'], OWNER);
      assert.match(info.Config.Labels['lab.run'], /^r[0-9a-f]{12}$/);
    } finally {
      await engine.removeContainer(id);
    }
  });

  test('a fork bomb stops at the pids limit and the container keeps running', async () => {
    const id = await engine.create({
      labels: labels(),
      image: 'lab/node',
      command: ['sleep', 'infinity'],
      settings,
      limits: runLimitsFor({ pids: 16 }),
    });
    try {
      await engine.start(id);
      const result = await engine.exec(
        id,
        ['sh', '-c', 'for i in $(seq 40); do (sleep 5 &) 2>/dev/null; done; set -- /proc/[0-9]*; echo $#'],
        10_000,
      );
      const count = Number(result.output.trim().split('\n').at(-1));
      assert.ok(count > 0 && count <= 16, `at most 16 processes, saw ${count}`);
      assert.equal((await engine.inspect(id)).running, true);
    } finally {
      await engine.removeContainer(id);
    }
  });
});

describe('filesystem diff', () => {
  test('a container that changed nothing has an empty diff', async () => {
    const id = await engine.create({
      labels: labels(),
      image: 'lab/node',
      command: ['true'],
      settings,
      limits: runLimitsFor(),
    });
    try {
      await engine.start(id);
      await engine.docker.getContainer(id).wait();
      assert.deepEqual(await engine.diff(id), []);
    } finally {
      await engine.removeContainer(id);
    }
  });
});

describe('lab images', () => {
  test("learners may build FROM lab/node, never FROM the lab's own workstation image", async () => {
    const images = await engine.labImages();
    assert.ok(images.includes('lab/node'), `lab images: ${images.join(', ')}`);
    assert.ok(!images.includes('lab/workstation'), `lab images: ${images.join(', ')}`);
  });
});
