// The sandbox against the real engine: container limits, build limits (processes, deadline), the
// reaper, and that nothing is left behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { newRunId } from '../runner/run-exercise';
import { dirsOf, engineCgroupDriver, listCgroups } from './build-cgroup';
import { DockerEngine } from './docker-engine';
import { packContext } from './build-files';
import { BUILD_CGROUP_PREFIX, buildImage } from './image-builder';
import { ensureLearnerCgroup, learnerCgroupExists, learnerCgroupName, removeLearnerCgroup } from './learner-cgroup';
import { TERMINAL_RUN_PREFIX, type RunLabels } from './labels';
import { RUN_LIMITS, runLimitsFor } from './limits';
import { labelledResources, reap } from './reaper';

const engine = new DockerEngine();
const OWNER = `test-sandbox-${process.pid}`;
const labels = (overrides: Partial<RunLabels> = {}): RunLabels => ({ runId: newRunId(), owner: OWNER, expiresAt: Date.now() + 600_000, ...overrides });
const settings = { env: {}, restart: { policy: 'no' as const }, init: false };

after(async () => {
  await reap(engine.docker, 'mine');
  assert.deepEqual(await labelledResources(engine.docker, OWNER), { containers: [], images: [] });
});

describe('learner containers', () => {
  test('are created with every sandbox limit, whatever the image asks', async () => {
    const id = await engine.create({ labels: labels(), image: 'lab/node', settings, limits: runLimitsFor({ memoryMb: 128 }) });
    try {
      const info = await engine.docker.getContainer(id).inspect();
      const host = info.HostConfig;
      assert.equal(host.NetworkMode, 'none');
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
    const id = await engine.create({ labels: labels(), image: 'lab/node', command: ['sleep', 'infinity'], settings, limits: runLimitsFor({ pids: 16 }) });
    try {
      await engine.start(id);
      const result = await engine.exec(id, ['sh', '-c', 'for i in $(seq 40); do (sleep 5 &) 2>/dev/null; done; set -- /proc/[0-9]*; echo $#'], 10_000);
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
    const id = await engine.create({ labels: labels(), image: 'lab/node', command: ['true'], settings, limits: runLimitsFor() });
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
  test('learners may build FROM lab/node, never FROM the lab\'s own workstation image', async () => {
    const images = await engine.labImages();
    assert.ok(images.includes('lab/node'), `lab images: ${images.join(', ')}`);
    assert.ok(!images.includes('lab/workstation'), `lab images: ${images.join(', ')}`);
  });
});

describe('learner builds', () => {
  test('a RUN that starts hundreds of processes is held to the build process limit', async () => {
    const output: string[] = [];
    const run = labels();
    const result = await engine.build(
      {
        labels: run,
        tag: `lab-run:${run.runId}`,
        files: [
          {
            name: 'Dockerfile',
            // ENV makes the step new each time (no cache); the count uses no fork, which could fail at the limit.
            content: `FROM lab/node\nENV NONCE=${run.runId}\nRUN for i in $(seq 300); do (sleep 3 &) 2>/dev/null; done; set -- /proc/[0-9]*; echo "processes=$#"\n`,
          },
        ],
        onOutput: (line) => output.push(line),
      },
      60_000,
    );
    const line = output.find((text) => text.startsWith('processes='));
    assert.ok(line, `the RUN reported its process count: ${output.join(' | ')}`);
    const count = Number(line.split('=')[1]);
    assert.ok(count <= 128, `the build saw ${count} processes; the limit is 128`);
    assert.ok(count > 20, 'the build did start processes');
    if (result.ok) await engine.removeImage(`lab-run:${run.runId}`);
    assert.ok(!listCgroups(BUILD_CGROUP_PREFIX, 0).includes(`${BUILD_CGROUP_PREFIX}${run.runId}`), 'its cgroup is removed');
  });

  test('a build that prints a step image\'s line does not make the lab remove that image', async () => {
    // Another image on the engine, whose ID a learner can know (docker history, a FROM step's output).
    const victimTag = `lab-test-victim-${process.pid}`;
    const pack = await packContext([{ name: 'Dockerfile', content: `FROM lab/node\nLABEL victim=${process.pid}\n` }]);
    await new Promise((resolve, reject) => engine.docker.buildImage(Readable.from([pack]), { t: victimTag, labels: { 'lab.owner': OWNER } } as never, (error, stream) => (error ? reject(error) : engine.docker.modem.followProgress(stream!, resolve))));
    const victim = (await engine.docker.getImage(victimTag).inspect()).Id.replace('sha256:', '').slice(0, 12);
    try {
      const run = labels();
      const result = await engine.build(
        { labels: run, tag: `lab-run:${run.runId}`, files: [{ name: 'Dockerfile', content: `FROM lab/node\nRUN echo " ---> ${victim}"\nRUN false\n` }], onOutput: () => undefined },
        60_000,
      );
      assert.equal(result.ok, false);
      assert.equal((await engine.docker.getImage(victimTag).inspect()).Id.replace('sha256:', '').slice(0, 12), victim, 'the image is still there');
    } finally {
      await engine.docker.getImage(victimTag).remove({ force: true }).catch(() => undefined);
    }
  });

  test('a build past its deadline is stopped and reported, and leaves no container behind', async () => {
    const run = labels();
    const started = Date.now();
    const result = await engine.build(
      { labels: run, tag: `lab-run:${run.runId}`, files: [{ name: 'Dockerfile', content: `FROM lab/node\nENV NONCE=${run.runId}\nRUN sleep 120\n` }], onOutput: () => undefined },
      3_000,
    );
    assert.equal(result.ok, false);
    assert.equal(result.timedOut, true);
    assert.equal(result.failedStep, 3);
    assert.ok(Date.now() - started < 20_000, 'it did not wait for the sleep');
    // The builder's intermediate container carries no labels: find it by its cgroup parent. The
    // engine removes it once the cancelled step is killed.
    const buildContainers = async () => {
      const found: string[] = [];
      for (const info of await engine.docker.listContainers({ all: true })) {
        const detail = await engine.docker.getContainer(info.Id).inspect().catch(() => null);
        if (detail?.HostConfig.CgroupParent === `/${BUILD_CGROUP_PREFIX}${run.runId}`) found.push(info.Id);
      }
      return found;
    };
    let left = await buildContainers();
    for (let i = 0; i < 50 && left.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = await buildContainers();
    }
    assert.deepEqual(left, [], 'no build container left');
    assert.ok(!fs.existsSync(`/sys/fs/cgroup/pids/${BUILD_CGROUP_PREFIX}${run.runId}`), 'its cgroup is removed');
  });
});

describe('builds sharing the cache', () => {
  // Two learners' builds share their unlabelled steps, and the reaper prunes old ones: a cache entry
  // can vanish between the builder choosing it and using it. The engine cannot be made to lose one at
  // a chosen moment, so the first build here answers as the builder then does; the rest is the engine.
  test('a build that lost a cache entry is built again, and a failing build is not', async () => {
    const calls: string[] = [];
    let loseNext = true;
    const losing = new Proxy(engine.docker, {
      get(target, property, receiver) {
        if (property !== 'buildImage') return Reflect.get(target, property, receiver);
        return (...args: Parameters<typeof target.buildImage>) => {
          calls.push('build');
          if (!loseNext) return target.buildImage(...args);
          loseNext = false;
          const lines = ['{"stream":"Step 1/3 : FROM lab/node\\n"}', '{"error":"unable to find image \\"sha256:0123\\""}'];
          return Promise.resolve(Readable.from(lines.map((line) => `${line}\r\n`)));
        };
      },
    });
    const run = labels();
    const output: string[] = [];
    const files = [{ name: 'Dockerfile', content: `FROM lab/node\nENV NONCE=${run.runId}\nRUN echo built > /built\n` }];
    const result = await buildImage(losing, { labels: run, tag: `lab-run:${run.runId}`, files, onOutput: (line) => output.push(line) }, 60_000);
    assert.equal(result.ok, true, result.error);
    assert.equal(calls.length, 2);
    assert.ok(output.includes('A cached step was removed while this build used it: building again.'), output.join('\n'));
    assert.equal((await engine.docker.getImage(result.imageId!).inspect()).Config.Labels['lab.run'], run.runId);
    await engine.removeImage(result.imageId!);

    calls.length = 0;
    const failing = labels();
    const failed = await buildImage(
      losing,
      { labels: failing, tag: `lab-run:${failing.runId}`, files: [{ name: 'Dockerfile', content: 'FROM lab/node\nRUN exit 3\n' }], onOutput: () => undefined },
      60_000,
    );
    assert.equal(failed.ok, false);
    assert.equal(calls.length, 1, 'a build that failed on its own is not run again');
  });
});

describe("the engine's cgroup driver", () => {
  test('is cgroupfs here; an engine with the systemd driver gets a clear error before any build', async () => {
    assert.equal(await engineCgroupDriver(engine.docker), 'cgroupfs');
    // The engine here cannot be switched to systemd for a test: this one says it uses it, the rest is the engine.
    const systemd = new Proxy(engine.docker, {
      get(target, property, receiver) {
        if (property !== 'info') return Reflect.get(target, property, receiver);
        return async () => ({ ...(await target.info()), CgroupDriver: 'systemd' });
      },
    });
    const run = labels();
    await assert.rejects(
      buildImage(systemd, { labels: run, tag: `lab-run:${run.runId}`, files: [{ name: 'Dockerfile', content: 'FROM lab/node\n' }], onOutput: () => undefined }, 60_000),
      /systemd cgroup driver.*native\.cgroupdriver=cgroupfs/,
    );
    assert.deepEqual(await labelledResources(engine.docker, OWNER), { containers: [], images: [] }, 'nothing was built');
  });
});

describe('the reaper', () => {
  test('removes expired runs and runs of dead lab processes, and leaves live ones', async () => {
    const expired = await engine.create({ labels: labels({ expiresAt: Date.now() - 1000 }), image: 'lab/node', settings, limits: runLimitsFor() });
    const live = await engine.create({ labels: labels(), image: 'lab/node', settings, limits: runLimitsFor() });
    const orphan = await engine.docker.createContainer({
      Image: 'lab/node',
      Labels: { 'lab.run': newRunId(), 'lab.owner': OWNER, 'lab.expires': String(Date.now() + 600_000), 'lab.process': `${(await import('node:os')).hostname()}/999999/1` },
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

  test('takes a learner\'s name off an old image without the lab\'s labels (no learner owns or counts it), and only the name', async () => {
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
    const container = await engine.create({ labels: labels({ runId: `${TERMINAL_RUN_PREFIX}${busy}` }), image: 'lab/node', settings, limits: runLimitsFor() });
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
