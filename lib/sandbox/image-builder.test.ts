// Learners' builds against the real engine: the build process limit, the deadline, no image removed
// because a build printed its ID, a build that lost a cache entry built again, and the cgroup driver the
// build limits need. Nothing is left behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { waitFor } from '../testing/wait-for';
import { engineCgroupDriver, listCgroups } from './build-cgroup';
import { packContext } from './build-files';
import { engine, labels, OWNER, removeOwnResources } from './docker-engine-fixtures';
import { BUILD_CGROUP_PREFIX, buildImage } from './image-builder';
import { labelledResources } from './reaper';

after(removeOwnResources);

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
    assert.ok(
      !listCgroups(BUILD_CGROUP_PREFIX, 0).includes(`${BUILD_CGROUP_PREFIX}${run.runId}`),
      'its cgroup is removed',
    );
  });

  test("a build that prints a step image's line does not make the lab remove that image", async () => {
    // Another image on the engine, whose ID a learner can know (docker history, a FROM step's output).
    const victimTag = `lab-test-victim-${process.pid}`;
    const pack = await packContext([{ name: 'Dockerfile', content: `FROM lab/node\nLABEL victim=${process.pid}\n` }]);
    await new Promise((resolve, reject) =>
      engine.docker.buildImage(
        Readable.from([pack]),
        { t: victimTag, labels: { 'lab.owner': OWNER } } as never,
        (error, stream) => (error ? reject(error) : engine.docker.modem.followProgress(stream!, resolve)),
      ),
    );
    const victim = (await engine.docker.getImage(victimTag).inspect()).Id.replace('sha256:', '').slice(0, 12);
    try {
      const run = labels();
      const result = await engine.build(
        {
          labels: run,
          tag: `lab-run:${run.runId}`,
          files: [{ name: 'Dockerfile', content: `FROM lab/node\nRUN echo " ---> ${victim}"\nRUN false\n` }],
          onOutput: () => undefined,
        },
        60_000,
      );
      assert.equal(result.ok, false);
      assert.equal(
        (await engine.docker.getImage(victimTag).inspect()).Id.replace('sha256:', '').slice(0, 12),
        victim,
        'the image is still there',
      );
    } finally {
      await engine.docker
        .getImage(victimTag)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  test('a build past its deadline is stopped and reported, and leaves no container behind', async () => {
    const run = labels();
    const started = Date.now();
    const result = await engine.build(
      {
        labels: run,
        tag: `lab-run:${run.runId}`,
        files: [{ name: 'Dockerfile', content: `FROM lab/node\nENV NONCE=${run.runId}\nRUN sleep 120\n` }],
        onOutput: () => undefined,
      },
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
        const detail = await engine.docker
          .getContainer(info.Id)
          .inspect()
          .catch(() => null);
        if (detail?.HostConfig.CgroupParent === `/${BUILD_CGROUP_PREFIX}${run.runId}`) found.push(info.Id);
      }
      return found;
    };
    await waitFor(
      async () => {
        assert.deepEqual(await buildContainers(), [], 'no build container left');
        return true;
      },
      { timeoutMs: 5_000, what: 'the build container to be removed', intervalMs: 100 },
    );
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
          const lines = [
            '{"stream":"Step 1/3 : FROM lab/node\\n"}',
            '{"error":"unable to find image \\"sha256:0123\\""}',
          ];
          return Promise.resolve(Readable.from(lines.map((line) => `${line}\r\n`)));
        };
      },
    });
    const run = labels();
    const output: string[] = [];
    const files = [{ name: 'Dockerfile', content: `FROM lab/node\nENV NONCE=${run.runId}\nRUN echo built > /built\n` }];
    const result = await buildImage(
      losing,
      { labels: run, tag: `lab-run:${run.runId}`, files, onOutput: (line) => output.push(line) },
      60_000,
    );
    assert.equal(result.ok, true, result.error);
    assert.equal(calls.length, 2);
    assert.ok(
      output.includes('A cached step was removed while this build used it: building again.'),
      output.join('\n'),
    );
    assert.equal((await engine.docker.getImage(result.imageId!).inspect()).Config.Labels['lab.run'], run.runId);
    await engine.removeImage(result.imageId!);

    calls.length = 0;
    const failing = labels();
    const failed = await buildImage(
      losing,
      {
        labels: failing,
        tag: `lab-run:${failing.runId}`,
        files: [{ name: 'Dockerfile', content: 'FROM lab/node\nRUN exit 3\n' }],
        onOutput: () => undefined,
      },
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
      buildImage(
        systemd,
        {
          labels: run,
          tag: `lab-run:${run.runId}`,
          files: [{ name: 'Dockerfile', content: 'FROM lab/node\n' }],
          onOutput: () => undefined,
        },
        60_000,
      ),
      /systemd cgroup driver.*native\.cgroupdriver=cgroupfs/,
    );
    assert.deepEqual(
      await labelledResources(engine.docker, OWNER),
      { containers: [], images: [] },
      'nothing was built',
    );
  });
});
