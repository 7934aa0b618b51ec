// The reaper against the real engine: expired runs and runs of dead lab processes go, live ones stay; a
// learner's name comes off an old unlabelled image; a learner's cgroup goes once they have no container.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { newRunId } from '../runner/run-exercise';
import { dirsOf } from './build-cgroup';
import { engine, labels, OWNER, removeOwnResources, settings } from './docker-engine-fixtures';
import { ensureLearnerCgroup, learnerCgroupExists, learnerCgroupName, removeLearnerCgroup } from './learner-cgroup';
import { TERMINAL_RUN_PREFIX } from './labels';
import { runLimitsFor } from './limits';
import { reap } from './reaper';

after(removeOwnResources);

describe('the reaper', () => {
  test('removes expired runs and runs of dead lab processes, and leaves live ones', async () => {
    const expired = await engine.create({
      labels: labels({ expiresAt: Date.now() - 1000 }),
      image: 'lab/node',
      settings,
      limits: runLimitsFor(),
    });
    const live = await engine.create({ labels: labels(), image: 'lab/node', settings, limits: runLimitsFor() });
    const orphan = await engine.docker.createContainer({
      Image: 'lab/node',
      Labels: {
        'lab.run': newRunId(),
        'lab.owner': OWNER,
        'lab.expires': String(Date.now() + 600_000),
        'lab.process': `${(await import('node:os')).hostname()}/999999/1`,
      },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      const report = await reap(engine.docker, 'orphans');
      assert.ok(report.containers.includes(expired), 'the expired run is removed');
      assert.ok(report.containers.includes(orphan.id), 'the run of a dead lab process is removed');
      assert.ok(!report.containers.includes(live), 'a live run is kept');
      const mine = await reap(engine.docker, 'mine');
      assert.ok(mine.containers.includes(live), 'on shutdown, this process removes its own runs');
    } finally {
      await engine.removeContainer(live);
    }
  });

  test("takes a learner's name off an old image without the lab's labels (no learner owns or counts it), and only the name", async () => {
    const name = `learner-reaper${process.pid}/stray:latest`;
    const lab = await engine.docker.getImage('lab/node').inspect();
    await engine.docker.getImage(lab.Id).tag({ repo: `learner-reaper${process.pid}/stray`, tag: 'latest' });
    const report = await reap(engine.docker, 'orphans');
    assert.ok(report.images.includes(name), 'the name is taken off');
    assert.equal((await engine.docker.getImage('lab/node').inspect()).Id, lab.Id, 'the image itself stays');
  });

  test("removes a learner's cgroup once they have no terminal container, and only then", async () => {
    const limits = { memoryBytes: 64 * 1024 * 1024, pids: 32, cpus: 0.5, cpuPeriod: 100_000 };
    const keyed = (suffix: string) => `${process.pid.toString(16)}${suffix}`.slice(-12).padStart(12, '0');
    const [idle, busy, young] = [keyed('a1'), keyed('b2'), keyed('c3')];
    for (const key of [idle, busy, young]) ensureLearnerCgroup(key, limits);
    const past = new Date(Date.now() - 5 * 60_000);
    for (const key of [idle, busy]) for (const dir of dirsOf(learnerCgroupName(key))) fs.utimesSync(dir, past, past);
    const container = await engine.create({
      labels: labels({ runId: `${TERMINAL_RUN_PREFIX}${busy}` }),
      image: 'lab/node',
      settings,
      limits: runLimitsFor(),
    });
    try {
      await reap(engine.docker, 'orphans');
      assert.equal(learnerCgroupExists(idle), false, 'an old cgroup without containers is removed');
      assert.equal(learnerCgroupExists(busy), true, 'the cgroup of a learner who still has a container is kept');
      assert.equal(learnerCgroupExists(young), true, 'a young cgroup is kept: a container may be on its way');
    } finally {
      await engine.removeContainer(container);
      for (const key of [idle, busy, young]) await removeLearnerCgroup(key);
    }
  });
});
