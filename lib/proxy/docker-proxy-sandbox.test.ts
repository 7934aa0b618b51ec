// The Docker API proxy against the real engine, driven by the real docker CLI: whatever a request asks,
// the sandbox's limits apply and lower limits are kept; host-reaching options, pulls, volumes, networks
// and system commands are refused with a message and create nothing; builds have no network and follow
// the Dockerfile rules; the kernel's paths stay masked.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { RUN_LIMITS } from '../sandbox/limits';
import { ALICE, cli, dir, docker, engineContainers, ok, proxiesFor } from './docker-proxy-fixtures';
import { engineImageRef, scopeOf } from './scope';

// The refused exec below names Alice's container my-api, which the seed commands leave running: one of
// that name runs here too.
proxiesFor([ALICE], {
  setUp: async () => {
    await ok(cli(ALICE, ['run', '-d', '--name', 'my-api', 'lab/node', 'sleep', '300']));
  },
});

describe('the sandbox whatever the request asks', () => {
  test('limits are applied and lower limits kept', async () => {
    const id = (
      await ok(
        cli(ALICE, [
          'run',
          '-d',
          '-m',
          '2g',
          '--pids-limit',
          '100000',
          '--cpus',
          '2',
          '--network',
          'bridge',
          'lab/node',
          'sleep',
          '60',
        ]),
      )
    ).trim();
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
    const small = (
      await ok(cli(ALICE, ['run', '-d', '-m', '32m', '--pids-limit', '10', 'lab/node', 'sleep', '60']))
    ).trim();
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
    fs.writeFileSync(
      path.join(buildDir, 'Dockerfile'),
      'FROM lab/node\nRUN cat /sys/class/net/*/address | wc -l > /interfaces\n',
    );
    await ok(cli(ALICE, ['build', '-t', 'net-check', '.'], { cwd: buildDir }));
    assert.equal(
      await ok(cli(ALICE, ['run', '--rm', 'net-check', 'cat', '/interfaces'])),
      '1\n',
      'only the loopback interface during the build',
    );
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

describe('masked kernel paths', () => {
  test('--security-opt systempaths=unconfined is refused and /proc stays masked', async () => {
    assert.match(
      (await cli(ALICE, ['run', '--rm', '--security-opt', 'systempaths=unconfined', 'lab/node', 'true'])).stderr,
      /systempaths=unconfined is not allowed/,
    );
    const id = (await ok(cli(ALICE, ['run', '-d', 'lab/node', 'sleep', '30']))).trim();
    const host = (await docker.getContainer(id).inspect()).HostConfig as { MaskedPaths?: string[] };
    assert.ok(host.MaskedPaths?.includes('/proc/kcore'), "the engine's default masked paths apply");
    await ok(cli(ALICE, ['rm', '-f', id]));
  });
});
