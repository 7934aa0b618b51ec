// The Docker API proxy against the real engine, driven by the real docker CLI: a learner's quotas hold
// (containers, images, image bytes, builds at once), and so do the limits on the sum of their containers
// (memory, processes), below what each container may have.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { OWNER_LABEL } from '../sandbox/labels';
import { learnerCgroupLimits, learnerCgroupParent } from '../sandbox/learner-cgroup';
import { RUN_LIMITS } from '../sandbox/limits';
import { waitFor } from '../testing/wait-for';
import {
  CAROL,
  cli,
  DAVE,
  DAVE_MEMORY_MB,
  DAVE_PIDS,
  dir,
  docker,
  ok,
  proxies,
  proxiesFor,
} from './docker-proxy-fixtures';
import { engineContainerName, scopeOf } from './scope';

proxiesFor([CAROL, DAVE]);

describe('quotas', () => {
  test('containers per learner', async () => {
    await ok(cli(CAROL, ['create', 'lab/node', 'true']));
    await ok(cli(CAROL, ['create', 'lab/node', 'true']));
    const third = await cli(CAROL, ['create', 'lab/node', 'true']);
    assert.notEqual(third.status, 0);
    assert.match(third.stderr, /quota reached: at most 2 containers/);
    assert.equal((await ok(cli(CAROL, ['ps', '-a', '-q']))).trim().split('\n').length, 2);
  });

  test('images, image bytes and concurrent builds per learner', async () => {
    const buildDir = path.join(dir, 'carol');
    fs.mkdirSync(buildDir);
    // A step of its own (the build cache would otherwise answer it at once from an earlier run).
    fs.writeFileSync(
      path.join(buildDir, 'Dockerfile'),
      `FROM lab/node\nENV NONCE=${process.pid}-${Date.now()}\nRUN sleep 2 && head -c 100000 /dev/zero > /blob\n`,
    );
    const env = { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_HOST: `unix://${proxies.get(CAROL)!.socketPath}` };
    // Two builds at once: the second is refused while the first runs its RUN step.
    const first = spawn('docker', ['build', '-t', 'one', '.'], {
      cwd: buildDir,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const firstDone = new Promise<number | null>((resolve) => first.on('exit', resolve));
    let firstOutput = '';
    await new Promise<void>((resolve) => {
      first.stdout.on('data', (chunk: Buffer) => {
        firstOutput += chunk.toString('utf8');
        if (/Step 3\/\d+ : RUN sleep 2/.test(firstOutput)) resolve();
      });
      first.on('exit', () => resolve());
    });
    const second = await cli(CAROL, ['build', '-t', 'two', '.'], { cwd: buildDir });
    assert.notEqual(second.status, 0);
    assert.match(second.stderr, /quota reached: 1 build at a time/);
    assert.equal(await firstDone, 0);
    // One image is the quota: another build is refused before it starts.
    const third = await cli(CAROL, ['build', '-t', 'three', '.'], { cwd: buildDir });
    assert.notEqual(third.status, 0);
    assert.match(third.stderr, /quota reached: at most 1 images|quota reached: your images use/);
    const repositories = (await ok(cli(CAROL, ['images', '--format', '{{.Repository}}']))).split('\n');
    assert.equal(repositories.filter((name) => name && !name.startsWith('lab/')).length, 1);
  });

  test('the image bytes are counted again once a build is done: past them the new image goes', async () => {
    const buildDir = path.join(dir, 'carol-big');
    fs.mkdirSync(buildDir);
    fs.writeFileSync(
      path.join(buildDir, 'Dockerfile'),
      `FROM lab/node\nENV NONCE=${process.pid}-${Date.now()}\nRUN head -c 400000 /dev/urandom > /blob\n`,
    );
    await ok(cli(CAROL, ['rmi', 'one']));
    const big = await cli(CAROL, ['build', '-t', 'big', '.'], { cwd: buildDir });
    assert.notEqual(big.status, 0, big.stdout);
    assert.match(big.stderr, /quota reached: the image made your images/);
    assert.deepEqual(
      await docker.listImages({ filters: { label: [`${OWNER_LABEL}=${CAROL}`] } }),
      [],
      'the image is gone',
    );
  });
});

describe("the sum of a learner's containers", () => {
  const state = async (name: string) =>
    (await docker.getContainer(engineContainerName(scopeOf(DAVE), name)).inspect()).State;

  test('memory: two containers within their own limits cannot hold more than the learner may between them', async () => {
    // Each holds 150 MiB, well under a container's 256 MiB; the learner may have 200 MiB in all.
    const hold =
      "const b = Buffer.alloc(150 * 1024 * 1024, 1); console.log('holding', b.length); setInterval(() => {}, 1000);";
    await ok(cli(DAVE, ['run', '-d', '--name', 'hold-a', 'lab/node', 'node', '-e', hold]));
    await waitFor(async () => (await ok(cli(DAVE, ['logs', 'hold-a']))).includes('holding'), {
      timeoutMs: 15_000,
      what: 'the first to hold its memory',
      intervalMs: 100,
    });
    const parent = (await docker.getContainer(engineContainerName(scopeOf(DAVE), 'hold-a')).inspect()).HostConfig
      .CgroupParent;
    assert.equal(parent, learnerCgroupParent(scopeOf(DAVE).key));
    assert.equal(learnerCgroupLimits(scopeOf(DAVE).key)?.memoryBytes, DAVE_MEMORY_MB * 1024 * 1024);
    await ok(cli(DAVE, ['run', '-d', '--name', 'hold-b', 'lab/node', 'node', '-e', hold]));
    await waitFor(async () => !(await state('hold-a')).Running || !(await state('hold-b')).Running, {
      timeoutMs: 15_000,
      what: 'one of them to be killed',
      intervalMs: 100,
    });
    // The kernel kills within the learner's cgroup: one of the two, or both when the survivor asks again
    // before the victim's memory is freed. Never both alive, and every death a kill (137).
    const ends = [await state('hold-a'), await state('hold-b')];
    const killed = ends.filter((end) => !end.Running);
    assert.ok(killed.length >= 1);
    assert.deepEqual(
      killed.map((end) => end.ExitCode),
      killed.map(() => 137),
      'killed for memory',
    );
    await ok(cli(DAVE, ['rm', '-f', 'hold-a', 'hold-b']));
  });

  test('processes: a container stops forking at what the learner may have, below its own limit', async () => {
    assert.ok(DAVE_PIDS < RUN_LIMITS.pids);
    // Node keeps going when a fork fails (a shell would give up), and says how many failed.
    const fork = `const { spawn } = require('child_process'); let failed = 0;
      for (let i = 0; i < ${RUN_LIMITS.pids}; i++) spawn('sleep', ['300']).on('error', () => failed++);
      setTimeout(() => console.log('failed', failed), 1000); setInterval(() => {}, 1000);`;
    await ok(cli(DAVE, ['run', '-d', '--name', 'forks', 'lab/node', 'node', '-e', fork]));
    const logs = await waitFor(
      async () => {
        const text = await ok(cli(DAVE, ['logs', 'forks']));
        return text.includes('failed') && text;
      },
      { timeoutMs: 15_000, what: 'the forks', intervalMs: 100 },
    );
    assert.ok(Number(/failed (\d+)/.exec(logs)![1]) > 0, `some forks failed: ${logs}`);
    const processes = (await ok(cli(DAVE, ['top', 'forks']))).trim().split('\n').length - 1;
    assert.ok(
      processes <= DAVE_PIDS && processes > 10,
      `${processes} processes, the learner may have ${DAVE_PIDS} tasks`,
    );
    await ok(cli(DAVE, ['rm', '-f', 'forks']));
  });
});
