// The red team, part one: a learner with a raw HTTP client on their own socket (perl is enough) tries
// to reach the host through the proxy's request handling. Each attack is judged by what the engine
// actually did (host-side inspect), never by the proxy's answer alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { startDockerProxy, type DockerProxy } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { engineView, hostReach, rawExchange, rawRequest } from './red-team-support';
import { scopeOf } from './scope';

const docker = dockerFromEnv();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-red-team-'));
const MALLORY = `test-red-mallory-${process.pid}`;
const VICTIM = `test-red-victim-${process.pid}`;
const proxies = new Map<string, DockerProxy>();
const sock = (owner: string) => proxies.get(owner)!.socketPath;
/** A file on the host an escaped container would read or write. */
const canary = path.join(dir, 'canary');

const json = (value: unknown) => JSON.stringify(value);
const HOST_REACHING = { Binds: [`${dir}:/host`], Privileged: true, PidMode: 'host', NetworkMode: 'host', CapAdd: ['ALL'], SecurityOpt: ['apparmor=unconfined'] };

before(async () => {
  fs.writeFileSync(canary, 'untouched\n');
  for (const owner of [MALLORY, VICTIM]) {
    proxies.set(owner, await startDockerProxy({ owner, socketPath: path.join(dir, `${owner.slice(9, 13)}.sock`), quotas: { containers: 8, images: 8, imageBytes: 512 * 2 ** 20, concurrentBuilds: 1, buildContextBytes: 2 ** 20 } }));
  }
});

after(async () => {
  for (const proxy of proxies.values()) await proxy.close();
  for (const owner of [MALLORY, VICTIM]) await removeTerminalResources(owner, docker);
  assert.equal(fs.readFileSync(canary, 'utf8'), 'untouched\n', 'the host file was never written');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Asserts that nothing Mallory has on the engine reaches the host. */
async function assertSandboxed(): Promise<void> {
  for (const info of await engineView(docker, MALLORY)) assert.deepEqual(hostReach(info), [], `${info.Name} reaches the host`);
}

/** Every spelling of a key that Go's decoder takes for it. */
function spellings(key: string): string[] {
  return [key.toLowerCase(), key.toUpperCase(), key.replace(/s/g, '\u017f'), key.replace(/k/gi, '\u212a'), [...key].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('')].filter((s) => s !== key);
}

describe('key spelling', () => {
  test('a second HostConfig in another spelling is refused, and nothing reaches the engine', async () => {
    for (const variant of spellings('HostConfig')) {
      for (const text of [
        `{"Image":"lab/node","Cmd":["cat","/host/canary"],"HostConfig":{},"${variant}":${json(HOST_REACHING)}}`,
        `{"Image":"lab/node","${variant}":${json(HOST_REACHING)},"HostConfig":{}}`,
      ]) {
        const answer = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create', text);
        assert.equal(answer.status, 400, `${variant}: ${answer.text}`);
        assert.match(answer.text, /given twice/);
      }
      // Alone, the variant is read as HostConfig, as the engine would: its options are refused.
      const alone = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create', `{"Image":"lab/node","${variant}":${json({ Binds: [`${dir}:/host`] })}}`);
      assert.equal(alone.status, 403, alone.text);
    }
    assert.deepEqual(await engineView(docker, MALLORY), [], 'no container was created');
  });

  test('HostConfig fields at the top level (an old API layout the engine still reads) are refused', async () => {
    for (const [key, value] of Object.entries(HOST_REACHING)) {
      const answer = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create', json({ Image: 'lab/node', [key]: value }));
      assert.equal(answer.status, 400, `${key}: ${answer.text}`);
    }
    assert.deepEqual(await engineView(docker, MALLORY), []);
  });

  test('Image, Labels and Volumes in a second spelling are refused: no other learner\'s image, no spoofed owner, no volume', async () => {
    for (const [key, value] of [['Image', `learner-${scopeOf(VICTIM).key}/app`], ['Labels', { 'lab.owner': VICTIM, 'lab.expires': '9999999999999' }], ['Volumes', { '/data': {} }]] as const) {
      for (const variant of spellings(key)) {
        const answer = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create', `{"Image":"lab/node","${key}":${key === 'Image' ? '"lab/node"' : '{}'},"${variant}":${json(value)}}`);
        assert.equal(answer.status, 400, `${variant}: ${answer.text}`);
      }
    }
    const spoofed = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create', json({ Image: 'lab/node', Labels: { 'lab.owner': VICTIM } }));
    assert.equal(spoofed.status, 403);
    assert.deepEqual(await engineView(docker, MALLORY), []);
    assert.deepEqual(await engineView(docker, VICTIM), [], 'nothing was created in the victim\'s name');
  });

  test('a privileged exec in any spelling is refused and no exec is created', async () => {
    const created = JSON.parse((await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create?name=target', json({ Image: 'lab/node', Cmd: ['sleep', '300'] }))).text) as { Id: string };
    assert.equal((await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/start')).status, 204);
    for (const variant of ['privileged', 'PRIVILEGED', 'Privileged', 'privilegeD']) {
      const answer = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/exec', `{"Cmd":["id"],"${variant}":true}`);
      assert.equal(answer.status, 403, `${variant}: ${answer.text}`);
      const twice = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/exec', `{"Cmd":["id"],"Privileged":false,"${variant === 'Privileged' ? 'privileged' : variant}":true}`);
      assert.equal(twice.status, 400, twice.text);
    }
    const info = await docker.getContainer(created.Id).inspect();
    assert.deepEqual(info.ExecIDs ?? [], [], 'the engine never saw an exec');
    await assertSandboxed();
  });

  test('an update cannot raise limits or reach the host', async () => {
    for (const body of [{ CgroupParent: '/' }, { cgroupparent: '/' }, { Devices: [{ PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'rwm' }] }, { Memory: 8 * 2 ** 30, memory: 8 * 2 ** 30 }]) {
      const answer = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/update', json(body));
      assert.ok(answer.status === 400 || answer.status === 403, `${json(body)}: ${answer.status} ${answer.text}`);
    }
    const raised = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/update', json({ Memory: 8 * 2 ** 30, PidsLimit: 100_000 }));
    assert.equal(raised.status, 200, raised.text);
    await assertSandboxed();
  });

  test('an old API version cannot carry a HostConfig on start', async () => {
    const answer = await rawRequest(sock(MALLORY), 'POST', '/v1.23/containers/target/start', json({ Binds: [`${dir}:/host`], Privileged: true }));
    assert.equal(answer.status, 400, answer.text);
    await assertSandboxed();
  });
});

describe('request smuggling', () => {
  test('an upgrade the engine refuses closes the connection: nothing sent after it reaches the engine', async () => {
    // An exec created while the container ran, started after it stopped: the engine refuses the upgrade (409).
    const exec = JSON.parse((await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/exec', json({ Cmd: ['true'], AttachStdout: true }))).text) as { Id: string };
    assert.equal((await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/kill')).status, 204);
    const smuggled = json({ Image: 'lab/node', Cmd: ['sh', '-c', 'echo pwned > /host/canary'], HostConfig: { Binds: [`${dir}:/host`], Privileged: true } });
    const start = json({ Detach: false, Tty: false });
    const bytes = [
      `POST /v1.41/exec/${exec.Id}/start HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${start.length}\r\n\r\n${start}`,
      `POST /v1.41/containers/create?name=smuggled HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(smuggled)}\r\n\r\n${smuggled}`,
      'POST /v1.41/containers/smuggled/start HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n',
    ].join('');
    const { received, closed } = await rawExchange(sock(MALLORY), bytes);
    // The engine refuses it: 409 (not running) or 404 (the exec went with the container's process).
    assert.match(received, /^HTTP\/1\.1 40[49] /, received.slice(0, 200));
    assert.equal(closed, true, 'the proxy closed the connection');
    assert.equal((received.match(/HTTP\/1\.1 /g) ?? []).length, 1, 'one answer: the later requests were never read');
    const names = (await engineView(docker, MALLORY)).map((info) => info.Name);
    assert.ok(!names.some((name) => name.endsWith('_smuggled')), `no smuggled container: ${names.join(', ')}`);
    await assertSandboxed();
  });

  test('a connection reset in the middle of an upgrade is the client\'s loss, not the server\'s', async () => {
    // A ping whose answer is never read, then an upgrade whose body never comes, then a reset.
    for (let round = 0; round < 3; round += 1) {
      await new Promise<void>((resolve) => {
        const socket = net.connect({ path: sock(MALLORY) }, () => {
          socket.pause();
          socket.write('GET /_ping HTTP/1.1\r\nHost: d\r\n\r\nPOST /v1.41/exec/x/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 10\r\n\r\n');
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 300);
        });
        socket.on('error', () => undefined);
      });
    }
    // This process is the lab server here: it is still alive and the proxy still answers.
    assert.equal((await rawRequest(sock(MALLORY), 'GET', '/_ping')).text, 'OK');
  });

  test('bytes sent before the engine answers an upgrade wait for the switch, and a refused attach closes too', async () => {
    const bytes = `POST /v1.41/containers/nosuch/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nGET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: docker\r\n\r\n`;
    const { received, closed } = await rawExchange(sock(MALLORY), bytes);
    assert.match(received, /^HTTP\/1\.1 404 /);
    assert.equal(closed, true);
    assert.equal((received.match(/HTTP\/1\.1 /g) ?? []).length, 1);
  });
});

describe('what the engine is and what it holds', () => {
  test('/version and /_ping say what the CLI needs and nothing of the host', async () => {
    const version = await rawRequest(sock(MALLORY), 'GET', '/version');
    const body = JSON.parse(version.text) as Record<string, unknown>;
    for (const field of ['KernelVersion', 'GoVersion', 'GitCommit', 'BuildTime']) assert.equal(body[field], undefined, field);
    assert.doesNotMatch(version.text, /containerd|runc|linuxkit|\d+\.\d+\.\d+-\d+-amd64|go1\./i);
    assert.match(String(body.ApiVersion), /^1\.\d+$/);
    const ping = await rawRequest(sock(MALLORY), 'GET', '/_ping');
    assert.equal(ping.text, 'OK');
    assert.equal(ping.headers.server, undefined, 'no Server header naming the engine');
    assert.equal(ping.headers['builder-version'], '1');
  });

  test('twenty creates at once stay within the quota of eight', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/create', json({ Image: 'lab/node', Cmd: ['true'] }))));
    assert.equal(answers.filter((answer) => answer.status === 201).length, 8, answers.map((a) => a.status).join(' '));
    assert.equal((await engineView(docker, VICTIM)).length, 8);
    await removeTerminalResources(VICTIM, docker);
  });

  test('a healthcheck every millisecond is raised to the floor, given or inherited', async () => {
    const answer = await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/create', json({ Image: 'lab/node', Cmd: ['sleep', '30'], Healthcheck: { Test: ['CMD', 'true'], Interval: 1_000_000 } }));
    assert.equal(answer.status, 201, answer.text);
    const info = await docker.getContainer((JSON.parse(answer.text) as { Id: string }).Id).inspect();
    assert.equal((info.Config.Healthcheck as { Interval?: number }).Interval, 2e9);
    await removeTerminalResources(VICTIM, docker);
  });

  test('a stream flood is held to the learner\'s bound', async () => {
    const opened: Promise<number>[] = [];
    const sockets: net.Socket[] = [];
    for (let i = 0; i < 40; i += 1) {
      opened.push(
        new Promise((resolve) => {
          const socket = net.connect({ path: sock(VICTIM) });
          sockets.push(socket);
          socket.on('data', (chunk: Buffer) => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0)));
          socket.on('close', () => resolve(-1));
          socket.on('error', () => resolve(-1));
          socket.write('GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n\r\n');
        }),
      );
    }
    const statuses = await Promise.all(opened);
    for (const socket of sockets) socket.destroy();
    const ok = statuses.filter((status) => status === 200).length;
    assert.ok(ok <= 16, `at most 16 streams open: ${statuses.join(' ')}`);
    assert.ok(statuses.every((status) => status === 200 || status === 429 || status === -1), statuses.join(' '));
    assert.ok(statuses.includes(429) || statuses.includes(-1), 'the flood was turned away');
  });
});

describe('limits a learner cannot leave behind', () => {
  test('the disk limit holds from the container\'s start, with no page following it', async () => {
    const created = await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/create?name=filler', json({ Image: 'lab/node', Cmd: ['sh', '-c', 'for i in 1 2 3 4 5 6; do head -c 60000000 /dev/zero > /f$i; done; sleep 120'] }));
    assert.equal(created.status, 201, created.text);
    assert.equal((await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/filler/start')).status, 204);
    const waited = await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/filler/wait?condition=not-running');
    assert.equal((JSON.parse(waited.text) as { StatusCode: number }).StatusCode, 137, 'killed past the disk limit, not left to sleep');
    await removeTerminalResources(VICTIM, docker);
  });
});

describe('a learner who floods their own socket (second round)', () => {
  const openFiles = () => fs.readdirSync('/proc/self/fd').length;

  test('hundreds of requests pipelined on one connection are bounded like connections', async () => {
    const before = openFiles();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, openFiles())), 5);
    const bytes = 'GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: docker\r\n\r\n'.repeat(600);
    const { received } = await rawExchange(sock(VICTIM), bytes, 15_000);
    clearInterval(sampler);
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]);
    assert.ok(statuses.includes('429'), `some were turned away: ${statuses.length} answers`);
    assert.ok(peak < before + 80, `the lab held ${peak} files (${before} before)`);
    assert.equal((await rawRequest(sock(VICTIM), 'GET', '/_ping')).text, 'OK');
  });

  test('streams that hang up before the engine answers give their slot back', async () => {
    await new Promise<void>((resolve) => {
      let closed = 0;
      for (let i = 0; i < 30; i += 1) {
        const socket = net.connect({ path: sock(MALLORY) }, () => {
          socket.write('GET /v1.41/containers/target/logs?stdout=1&follow=1 HTTP/1.1\r\nHost: docker\r\n\r\n');
          socket.destroy();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => ++closed === 30 && resolve());
      }
    });
    // Every slot is back once the proxy has seen the hang-ups: a stream opens again.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
      status = await new Promise<number>((resolve) => {
        const request = http.request({ socketPath: sock(MALLORY), path: '/v1.41/containers/target/logs?stdout=1', headers: { host: 'docker' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        request.on('error', () => resolve(0));
        request.end();
      });
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 200);
  });

  test('an answer too large to hold is refused, not held', async () => {
    const created = await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/create?name=long-paths', json({ Image: 'lab/node', Cmd: ['sh', '-c', 'd=/x; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do d=$d/$(printf "%0250d" $i); done; mkdir -p $d; cd $d; for i in $(seq 700); do : > $(printf "%0200d" $i); done; sleep 60'] }));
    assert.equal(created.status, 201, created.text);
    await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/long-paths/start');
    let diff = await rawRequest(sock(VICTIM), 'GET', '/v1.41/containers/long-paths/changes');
    for (let attempt = 0; attempt < 100 && diff.status === 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      diff = await rawRequest(sock(VICTIM), 'GET', '/v1.41/containers/long-paths/changes');
    }
    assert.equal(diff.status, 502, `${diff.status} ${diff.text.slice(0, 200)}`);
    assert.match(diff.text, /larger than the 2 MiB the lab passes on/);
    await removeTerminalResources(VICTIM, docker);
  });

  test('exec instances are counted: no more than the bound may wait in the engine', async () => {
    await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/create?name=execs', json({ Image: 'lab/node', Cmd: ['sleep', '120'] }));
    await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/execs/start');
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) statuses.push((await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/execs/exec', json({ Cmd: ['true'] }))).status);
    assert.equal(statuses.filter((status) => status === 201).length, 32, statuses.join(' '));
    assert.ok(statuses.slice(32).every((status) => status === 429));
    await removeTerminalResources(VICTIM, docker);
  });

  test('docker top shows the container\'s processes only, and its errors quote no host process', async () => {
    await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create?name=top-target', json({ Image: 'lab/node', Cmd: ['sleep', '300'] }));
    await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/top-target/start');
    for (const args of ['-p 1 -o args,pid', '-o args,pid --sort=-pid', '-e -o args,pid', 'aux --pid 1']) {
      const answer = await rawRequest(sock(MALLORY), 'GET', `/v1.41/containers/top-target/top?ps_args=${encodeURIComponent(args)}`);
      assert.equal(answer.status, 400, `${args}: ${answer.text}`);
    }
    const top = await rawRequest(sock(MALLORY), 'GET', `/v1.41/containers/top-target/top?ps_args=${encodeURIComponent('-o pid,args')}`);
    assert.equal(top.status, 200, top.text);
    assert.deepEqual((JSON.parse(top.text) as { Processes: string[][] }).Processes.map((row) => row[1]), ['sleep 300']);
  });

  test('an engine error names no path of the engine\'s', async () => {
    const created = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create', json({ Image: 'lab/node', Cmd: ['true'], WorkingDir: '/etc/passwd/x' }));
    const started = created.status === 201 ? await rawRequest(sock(MALLORY), 'POST', `/v1.41/containers/${(JSON.parse(created.text) as { Id: string }).Id}/start`) : created;
    assert.ok(started.status >= 400, started.text);
    assert.doesNotMatch(started.text, /\/var\/lib\/docker|overlay2|100000/, started.text);
  });
});
