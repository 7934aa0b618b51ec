// The Docker API proxy against the real engine, driven by the real docker CLI: the source material's
// commands work verbatim and print what Docker prints; one learner cannot see or touch another's
// containers and images; host-reaching options are refused and create nothing; quotas hold.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RunSlots } from '../capacity/run-slots';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { OWNER_LABEL } from '../sandbox/labels';
import { learnerCgroupExists, learnerCgroupLimits, learnerCgroupParent } from '../sandbox/learner-cgroup';
import { RUN_LIMITS } from '../sandbox/limits';
import { startDockerProxy, type DockerProxy } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { engineContainerName, engineImageRef, scopeOf } from './scope';

const docker = dockerFromEnv();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-proxy-test-'));
const ALICE = `test-proxy-alice-${process.pid}`;
const BOB = `test-proxy-bob-${process.pid}`;
const CAROL = `test-proxy-carol-${process.pid}`;
const DAVE = `test-proxy-dave-${process.pid}`;
const proxies = new Map<string, DockerProxy>();
/** Dave's limits on the sum of his containers: below what two containers may each have. */
const DAVE_MEMORY_MB = 200;
const DAVE_PIDS = 40;
/** The slots Alice's and Bob's builds wait for, as the server hands its own; the admission test puts a pool of one in place. */
let buildSlots = new RunSlots(4, { maxWaiting: 100 });
const slots = new Proxy({} as RunSlots, {
  get: (_target, key) => {
    const value = Reflect.get(buildSlots, key);
    return typeof value === 'function' ? value.bind(buildSlots) : value;
  },
});

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The docker CLI pointed at a learner's proxy (or, with owner null, straight at the engine). Always
 * asynchronous: the proxies run in this process and must keep answering while the CLI waits.
 */
function cli(owner: string | null, args: string[], options: { cwd?: string; input?: string } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CLI_HINTS: 'false' };
  if (owner) env.DOCKER_HOST = `unix://${proxies.get(owner)!.socketPath}`;
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env, cwd: options.cwd ?? context, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

async function ok(pending: Promise<CliResult>): Promise<string> {
  const result = await pending;
  assert.equal(result.status, 0, `docker failed: ${result.stderr}`);
  return result.stdout;
}

async function engineContainers(owner: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${OWNER_LABEL}=${owner}`] } });
  return list.map((info) => info.Id).sort();
}

const context = path.join(dir, 'app');

before(async () => {
  fs.mkdirSync(context);
  fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM lab/node\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n');
  fs.writeFileSync(
    path.join(context, 'server.js'),
    "console.log('my-api listening');\nsetInterval(() => {}, 1000);\nprocess.on('SIGTERM', () => process.exit(0));\n",
  );
  for (const owner of [ALICE, BOB]) proxies.set(owner, await startDockerProxy({ owner, socketPath: path.join(dir, `${owner.slice(-12)}.sock`), slots }));
  proxies.set(
    CAROL,
    await startDockerProxy({
      owner: CAROL,
      socketPath: path.join(dir, 'carol.sock'),
      quotas: { containers: 2, images: 1, imageBytes: 150_000, concurrentBuilds: 1, buildContextBytes: 1024 * 1024 },
    }),
  );
  proxies.set(
    DAVE,
    await startDockerProxy({
      owner: DAVE,
      socketPath: path.join(dir, 'dave.sock'),
      learnerLimits: { memoryBytes: DAVE_MEMORY_MB * 1024 * 1024, pids: DAVE_PIDS, cpus: 1, cpuPeriod: 100_000 },
    }),
  );
});

after(async () => {
  for (const proxy of proxies.values()) await proxy.close();
  for (const owner of [ALICE, BOB, CAROL, DAVE]) {
    await removeTerminalResources(owner, docker);
    assert.deepEqual(await engineContainers(owner), [], `containers of ${owner} left behind`);
    assert.equal(learnerCgroupExists(scopeOf(owner).key), false, `the cgroup of ${owner} is removed`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the seed commands through the proxy', () => {
  test('build, run, exec, inspect, logs work verbatim and print what Docker prints', async () => {
    const built = await ok(cli(ALICE, ['build', '-t', 'my-api:1.4.0', '.']));
    assert.match(built, /Step 4\/4 : CMD \["node", "server.js"\]/, 'the steps are the learner\'s, the lab\'s label step is not shown');
    assert.match(built, /Successfully tagged my-api:1\.4\.0/);
    assert.doesNotMatch(built, /learner-|lab\.owner/);

    const id = (await ok(cli(ALICE, ['run', '-d', '--name', 'my-api', 'my-api:1.4.0']))).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const engineName = engineContainerName(scopeOf(ALICE), 'my-api');

    const ps = await ok(cli(ALICE, ['exec', 'my-api', 'ps', 'aux']));
    const direct = await ok(cli(null, ['exec', engineName, 'ps', 'aux']));
    assert.equal(ps.split('\n')[0], direct.split('\n')[0], 'the same ps header');
    assert.match(ps, /^\S+\s+1\s.*node server\.js$/m, 'node server.js is PID 1');

    const format = '{{.Config.Cmd}} {{.State.ExitCode}}';
    assert.equal(await ok(cli(ALICE, ['inspect', 'my-api', '--format', format])), '[node server.js] 0\n');
    assert.equal(await ok(cli(ALICE, ['inspect', 'my-api', '--format', '{{.Name}} {{.Id}}'])), `/my-api ${id}\n`);

    // Logs are written when node starts: wait for the line rather than for a fixed time.
    let logs = '';
    for (let i = 0; i < 50 && !logs.includes('my-api listening'); i += 1) {
      logs = await ok(cli(ALICE, ['logs', 'my-api', '--tail', '50']));
      if (!logs.includes('my-api listening')) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(logs, await ok(cli(null, ['logs', engineName, '--tail', '50'])));
    assert.equal(logs, 'my-api listening\n');

    const listed = await ok(cli(ALICE, ['ps', '--format', '{{.ID}} {{.Image}} {{.Names}}']));
    assert.equal(listed, `${id.slice(0, 12)} my-api:1.4.0 my-api\n`);
  });

  test('run --restart=on-failure, tag, top, diff, port, wait, stop, kill, restart, rm, rmi, images', async () => {
    await ok(cli(ALICE, ['tag', 'my-api:1.4.0', 'my-api']));
    assert.match(await ok(cli(ALICE, ['images', '--format', '{{.Repository}}:{{.Tag}}'])), /^my-api:1\.4\.0$/m);
    const restarting = (await ok(cli(ALICE, ['run', '-d', '--restart=on-failure', 'my-api']))).trim();
    assert.equal(await ok(cli(ALICE, ['inspect', restarting.slice(0, 8), '--format', '{{.HostConfig.RestartPolicy.Name}}'])), 'on-failure\n');
    assert.match(await ok(cli(ALICE, ['top', restarting.slice(0, 12)])), /node server\.js/);
    await ok(cli(ALICE, ['diff', restarting]));
    await ok(cli(ALICE, ['port', restarting]));
    await ok(cli(ALICE, ['restart', '-t', '1', restarting]));
    await ok(cli(ALICE, ['kill', '-s', 'KILL', restarting]));
    assert.equal(await ok(cli(ALICE, ['wait', restarting])), '137\n');
    await ok(cli(ALICE, ['rm', restarting]));

    const crashed = await cli(ALICE, ['run', '--name', 'crash', 'lab/node', 'sh', '-c', 'echo boom >&2; exit 3']);
    assert.equal(crashed.status, 3, 'docker run returns the exit code of PID 1');
    assert.match(crashed.stderr, /boom/);
    assert.equal(await ok(cli(ALICE, ['run', '--rm', '-i', 'lab/node', 'cat'], { input: 'through stdin\n' })), 'through stdin\n');
    assert.equal(await ok(cli(ALICE, ['exec', '-i', 'my-api', 'sh', '-c', 'read line; echo "got $line"'], { input: 'x\n' })), 'got x\n');
    await ok(cli(ALICE, ['stop', '-t', '1', 'crash']));
    await ok(cli(ALICE, ['rm', 'crash']));
    await ok(cli(ALICE, ['rmi', 'my-api']));
    assert.doesNotMatch(await ok(cli(ALICE, ['images'])), /^my-api\s+latest/m);
  });

  test('events show the learner\'s containers under their own names', async () => {
    const since = Math.floor(Date.now() / 1000) - 120;
    const events = await ok(cli(ALICE, ['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000)), '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}']));
    assert.match(events, /^container start my-api$/m);
    assert.doesNotMatch(events, /lab-[0-9a-f]{12}_/);
  });
});

describe('two learners on one engine', () => {
  test('both may name a container my-api and each sees only their own', async () => {
    const bobs = (await ok(cli(BOB, ['run', '-d', '--name', 'my-api', 'lab/node', 'sleep', '300']))).trim();
    const alices = (await ok(cli(ALICE, ['inspect', 'my-api', '--format', '{{.Id}}']))).trim();
    assert.notEqual(bobs, alices);
    assert.equal(await ok(cli(BOB, ['ps', '-a', '-q', '--no-trunc'])), `${bobs}\n`);
    assert.doesNotMatch(await ok(cli(ALICE, ['ps', '-a', '-q', '--no-trunc'])), new RegExp(bobs));
  });

  test('bob cannot inspect, exec into, stop, kill, remove or read alice\'s container by name, ID or prefix', async () => {
    const alices = (await ok(cli(ALICE, ['inspect', 'my-api', '--format', '{{.Id}}']))).trim();
    const engineName = engineContainerName(scopeOf(ALICE), 'my-api');
    for (const ref of [alices, alices.slice(0, 12), alices.slice(0, 4), engineName]) {
      for (const args of [['inspect', '--type', 'container', ref], ['exec', ref, 'true'], ['stop', ref], ['kill', ref], ['rm', ref], ['logs', ref], ['top', ref], ['restart', ref]]) {
        const result = await cli(BOB, args);
        assert.notEqual(result.status, 0, `bob: docker ${args.join(' ')} must fail`);
        assert.match(result.stderr, /No such container/, `bob: docker ${args.join(' ')}`);
      }
      // The CLI's `rm -f` is silent about a container it cannot find: what matters is that it survives.
      await cli(BOB, ['rm', '-f', ref]);
    }
    assert.equal(await ok(cli(ALICE, ['inspect', 'my-api', '--format', '{{.State.Running}}'])), 'true\n', 'alice\'s container still runs');
  });

  test('bob cannot use, tag, remove or build FROM alice\'s image', async () => {
    const imageId = (await ok(cli(ALICE, ['inspect', '--type', 'image', 'my-api:1.4.0', '--format', '{{.Id}}']))).trim();
    for (const ref of ['my-api:1.4.0', imageId, imageId.slice(7, 19), `learner-${scopeOf(ALICE).key}/my-api:1.4.0`]) {
      assert.match((await cli(BOB, ['inspect', '--type', 'image', ref])).stderr, /No such image/);
      assert.match((await cli(BOB, ['tag', ref, 'stolen'])).stderr, /No such image/);
      assert.match((await cli(BOB, ['rmi', ref])).stderr, /No such image/);
    }
    const bobContext = path.join(dir, 'bob');
    fs.mkdirSync(bobContext);
    for (const from of ['my-api:1.4.0', `learner-${scopeOf(ALICE).key}/my-api:1.4.0`, imageId]) {
      fs.writeFileSync(path.join(bobContext, 'Dockerfile'), `FROM ${from}\nCMD ["true"]\n`);
      const result = await cli(BOB, ['build', '-t', 'copy', '.'], { cwd: bobContext });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /Dockerfile line 1: FROM .* is not allowed/);
    }
    assert.doesNotMatch(await ok(cli(BOB, ['images'])), /my-api|copy/);
  });

  test("COPY --from= an own image copies from it, a stage of the same name wins, and bob cannot copy from alice's", async () => {
    const stages = path.join(dir, 'stages');
    fs.mkdirSync(stages);
    fs.writeFileSync(path.join(stages, 'Dockerfile'), 'FROM lab/node\nRUN echo from-base > /data\n');
    await ok(cli(ALICE, ['build', '-t', 'base:1', '.'], { cwd: stages }));
    await ok(cli(ALICE, ['tag', 'base:1', 'helper']));
    fs.writeFileSync(
      path.join(stages, 'Dockerfile'),
      [
        'FROM lab/node AS helper',
        'RUN echo from-stage > /data',
        'FROM lab/node',
        'COPY --from=base:1 /data /base',
        'COPY --from=helper /data /stage',
        'CMD ["cat", "/base", "/stage"]',
        '',
      ].join('\n'),
    );
    await ok(cli(ALICE, ['build', '-t', 'copied', '.'], { cwd: stages }));
    assert.equal(await ok(cli(ALICE, ['run', '--rm', 'copied'])), 'from-base\nfrom-stage\n');

    for (const from of ['base:1', `learner-${scopeOf(ALICE).key}/base:1`]) {
      fs.writeFileSync(path.join(stages, 'Dockerfile'), `FROM lab/node\nCOPY --from=${from} /data /data\n`);
      const result = await cli(BOB, ['build', '-t', 'copy', '.'], { cwd: stages });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /Dockerfile line 2: COPY --from=.* is not allowed/);
    }
    for (const tag of ['copied', 'helper', 'base:1']) await ok(cli(ALICE, ['rmi', tag]));
  });
});

describe('the sandbox whatever the request asks', () => {
  test('limits are applied and lower limits kept', async () => {
    const id = (await ok(cli(ALICE, ['run', '-d', '-m', '2g', '--pids-limit', '100000', '--cpus', '2', '--network', 'bridge', 'lab/node', 'sleep', '60']))).trim();
    const host = (await docker.getContainer(id).inspect()).HostConfig;
    assert.equal(host.NetworkMode, 'none');
    assert.equal(host.Memory, RUN_LIMITS.memoryBytes);
    assert.equal(host.MemorySwap, RUN_LIMITS.memoryBytes);
    assert.equal(host.PidsLimit, RUN_LIMITS.pids);
    assert.equal(host.NanoCpus, (RUN_LIMITS.cpuQuota / RUN_LIMITS.cpuPeriod) * 1e9);
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.deepEqual(host.CapAdd ?? [], []);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges']);
    assert.equal(host.LogConfig?.Type, 'json-file');
    await ok(cli(ALICE, ['rm', '-f', id]));
    const small = (await ok(cli(ALICE, ['run', '-d', '-m', '32m', '--pids-limit', '10', 'lab/node', 'sleep', '60']))).trim();
    const smallHost = (await docker.getContainer(small).inspect()).HostConfig;
    assert.equal(smallHost.Memory, 32 * 1024 * 1024);
    assert.equal(smallHost.PidsLimit, 10);
    await ok(cli(ALICE, ['rm', '-f', small]));
  });

  const refused: [string[], RegExp][] = [
    [['--privileged'], /--privileged is not allowed/],
    [['--pid', 'host'], /--pid is not allowed/],
    [['--network', 'host'], /--network host is not allowed/],
    [['--ipc', 'host'], /--ipc is not allowed/],
    [['--uts', 'host'], /--uts is not allowed/],
    [['-v', '/etc:/host-etc'], /bind mounts .* are not allowed/],
    [['--mount', 'type=bind,source=/etc,target=/x'], /--mount is not allowed/],
    [['-v', '/data'], /volumes .* are not allowed/],
    [['--device', '/dev/null:/dev/x'], /--device is not allowed/],
    [['--cap-add', 'SYS_ADMIN'], /--cap-add is not allowed/],
    [['--security-opt', 'seccomp=unconfined'], /--security-opt is not allowed/],
    [['--runtime', 'runsc'], /--runtime is not allowed/],
    [['--sysctl', 'net.ipv4.ip_forward=1'], /--sysctl is not allowed/],
  ];
  for (const [options, message] of refused) {
    test(`docker run ${options.join(' ')} is refused with a clear message and creates nothing`, async () => {
      const before = await engineContainers(ALICE);
      const result = await cli(ALICE, ['run', '-d', ...options, 'lab/node', 'true']);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /Error response from daemon: /);
      assert.match(result.stderr, message);
      assert.deepEqual(await engineContainers(ALICE), before);
    });
  }

  test('pulls, volumes, networks and system commands are refused with a message', async () => {
    assert.match((await cli(ALICE, ['pull', 'alpine'])).stderr, /there is no registry in the lab/);
    assert.match((await cli(ALICE, ['volume', 'ls'])).stderr, /volumes are not available/);
    assert.match((await cli(ALICE, ['network', 'ls'])).stderr, /networks are not available/);
    assert.match((await cli(ALICE, ['system', 'prune', '-f'])).stderr, /not available in the lab/);
    assert.match((await cli(ALICE, ['exec', '--privileged', 'my-api', 'true'])).stderr, /--privileged is not allowed/);
  });

  test('builds run with network none and follow the Dockerfile rules, with the line named', async () => {
    const buildDir = path.join(dir, 'rules');
    fs.mkdirSync(buildDir);
    fs.writeFileSync(path.join(buildDir, 'Dockerfile'), 'FROM lab/node\nRUN cat /sys/class/net/*/address | wc -l > /interfaces\n');
    await ok(cli(ALICE, ['build', '-t', 'net-check', '.'], { cwd: buildDir }));
    assert.equal(await ok(cli(ALICE, ['run', '--rm', 'net-check', 'cat', '/interfaces'])), '1\n', 'only the loopback interface during the build');
    fs.writeFileSync(path.join(buildDir, 'Dockerfile'), 'FROM lab/node\nRUN true\nFROM debian:bookworm-slim\n');
    const result = await cli(ALICE, ['build', '.'], { cwd: buildDir });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /Dockerfile line 3: FROM debian:bookworm-slim is not allowed/);
    // The image's untagged parent is a step of the shared build cache, which another learner's build
    // may be using at this moment: docker rmi removes the image and leaves its parents.
    const { Parent: parent } = await docker.getImage(engineImageRef(scopeOf(ALICE), 'net-check')).inspect();
    assert.match(parent, /^sha256:/);
    await ok(cli(ALICE, ['rmi', 'net-check']));
    await docker.getImage(parent).inspect();
  });
});

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
    fs.writeFileSync(path.join(buildDir, 'Dockerfile'), `FROM lab/node\nENV NONCE=${process.pid}-${Date.now()}\nRUN sleep 2 && head -c 100000 /dev/zero > /blob\n`);
    const env = { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_HOST: `unix://${proxies.get(CAROL)!.socketPath}` };
    // Two builds at once: the second is refused while the first runs its RUN step.
    const first = spawn('docker', ['build', '-t', 'one', '.'], { cwd: buildDir, env, stdio: ['ignore', 'pipe', 'ignore'] });
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
    fs.writeFileSync(path.join(buildDir, 'Dockerfile'), `FROM lab/node\nENV NONCE=${process.pid}-${Date.now()}\nRUN head -c 400000 /dev/urandom > /blob\n`);
    await ok(cli(CAROL, ['rmi', 'one']));
    const big = await cli(CAROL, ['build', '-t', 'big', '.'], { cwd: buildDir });
    assert.notEqual(big.status, 0, big.stdout);
    assert.match(big.stderr, /quota reached: the image made your images/);
    assert.deepEqual(await docker.listImages({ filters: { label: [`${OWNER_LABEL}=${CAROL}`] } }), [], 'the image is gone');
  });
});

describe("the sum of a learner's containers", () => {
  const until = async (what: string, done: () => Promise<boolean>, ms = 15_000) => {
    for (const started = Date.now(); !(await done()); ) {
      assert.ok(Date.now() - started < ms, `waited ${ms} ms for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const state = async (name: string) => (await docker.getContainer(engineContainerName(scopeOf(DAVE), name)).inspect()).State;

  test('memory: two containers within their own limits cannot hold more than the learner may between them', async () => {
    // Each holds 150 MiB, well under a container's 256 MiB; the learner may have 200 MiB in all.
    const hold = "const b = Buffer.alloc(150 * 1024 * 1024, 1); console.log('holding', b.length); setInterval(() => {}, 1000);";
    await ok(cli(DAVE, ['run', '-d', '--name', 'hold-a', 'lab/node', 'node', '-e', hold]));
    await until('the first to hold its memory', async () => (await ok(cli(DAVE, ['logs', 'hold-a']))).includes('holding'));
    const parent = (await docker.getContainer(engineContainerName(scopeOf(DAVE), 'hold-a')).inspect()).HostConfig.CgroupParent;
    assert.equal(parent, learnerCgroupParent(scopeOf(DAVE).key));
    assert.equal(learnerCgroupLimits(scopeOf(DAVE).key)?.memoryBytes, DAVE_MEMORY_MB * 1024 * 1024);
    await ok(cli(DAVE, ['run', '-d', '--name', 'hold-b', 'lab/node', 'node', '-e', hold]));
    await until('one of them to be killed', async () => !(await state('hold-a')).Running || !(await state('hold-b')).Running);
    // The kernel kills within the learner's cgroup: one of the two, or both when the survivor asks again
    // before the victim's memory is freed. Never both alive, and every death a kill (137).
    const ends = [await state('hold-a'), await state('hold-b')];
    const killed = ends.filter((end) => !end.Running);
    assert.ok(killed.length >= 1);
    assert.deepEqual(killed.map((end) => end.ExitCode), killed.map(() => 137), 'killed for memory');
    await ok(cli(DAVE, ['rm', '-f', 'hold-a', 'hold-b']));
  });

  test('processes: a container stops forking at what the learner may have, below its own limit', async () => {
    assert.ok(DAVE_PIDS < RUN_LIMITS.pids);
    // Node keeps going when a fork fails (a shell would give up), and says how many failed.
    const fork = `const { spawn } = require('child_process'); let failed = 0;
      for (let i = 0; i < ${RUN_LIMITS.pids}; i++) spawn('sleep', ['300']).on('error', () => failed++);
      setTimeout(() => console.log('failed', failed), 1000); setInterval(() => {}, 1000);`;
    await ok(cli(DAVE, ['run', '-d', '--name', 'forks', 'lab/node', 'node', '-e', fork]));
    let logs = '';
    await until('the forks', async () => (logs = await ok(cli(DAVE, ['logs', 'forks']))).includes('failed'));
    assert.ok(Number(/failed (\d+)/.exec(logs)![1]) > 0, `some forks failed: ${logs}`);
    const processes = (await ok(cli(DAVE, ['top', 'forks']))).trim().split('\n').length - 1;
    assert.ok(processes <= DAVE_PIDS && processes > 10, `${processes} processes, the learner may have ${DAVE_PIDS} tasks`);
    await ok(cli(DAVE, ['rm', '-f', 'forks']));
  });
});

describe('masked kernel paths', () => {
  test('--security-opt systempaths=unconfined is refused and /proc stays masked', async () => {
    assert.match((await cli(ALICE, ['run', '--rm', '--security-opt', 'systempaths=unconfined', 'lab/node', 'true'])).stderr, /systempaths=unconfined is not allowed/);
    const id = (await ok(cli(ALICE, ['run', '-d', 'lab/node', 'sleep', '30']))).trim();
    const host = (await docker.getContainer(id).inspect()).HostConfig as { MaskedPaths?: string[] };
    assert.ok(host.MaskedPaths?.includes('/proc/kcore'), 'the engine\'s default masked paths apply');
    await ok(cli(ALICE, ['rm', '-f', id]));
  });
});

describe('admission', () => {
  test('a build waits its turn with the runs, told its place as build output, and is refused when the queue is full', async () => {
    const saved = buildSlots;
    const slots = new RunSlots(1, { maxWaiting: 1 });
    buildSlots = slots;
    try {
      const release = await slots.acquire('someone-else');
      const enqueue = slots.enqueue.bind(slots);
      const queued = new Promise<void>((resolve) => {
        slots.enqueue = (owner, signal) => {
          const ticket = enqueue(owner, signal);
          resolve();
          return ticket;
        };
      });
      const waiting = cli(ALICE, ['build', '-t', 'queued:1', '.']);
      await queued;
      const refused = await cli(BOB, ['build', '-t', 'refused:1', '.']);
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /the lab is at capacity: 1 run waiting, try again in ~\d+ s/);
      release();
      const output = await ok(waiting);
      assert.match(output, /The lab is busy: your build waits for a slot \(position 1, about \d+ s\)/);
      assert.match(output, /Successfully tagged queued:1/);
      assert.equal(slots.load.active, 0, 'the build gave its slot back');
      await ok(cli(ALICE, ['rmi', 'queued:1']));
    } finally {
      buildSlots = saved;
    }
  });
});
