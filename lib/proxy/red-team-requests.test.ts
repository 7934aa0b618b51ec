// The red team, part one: a learner with a raw HTTP client on their own socket (perl is enough) tries
// to reach the host through the proxy's request handling. Each attack is judged by what the engine
// actually did (host-side inspect), never by the proxy's answer alone.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { engineView, rawExchange, rawRequest } from './red-team-support';
import {
  assertSandboxed,
  dir,
  docker,
  HOST_REACHING,
  json,
  MALLORY,
  redTeamProxies,
  sock,
  spellings,
  VICTIM,
} from './red-team-requests-fixtures';
import { scopeOf } from './scope';

redTeamProxies();

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
      const alone = await rawRequest(
        sock(MALLORY),
        'POST',
        '/v1.41/containers/create',
        `{"Image":"lab/node","${variant}":${json({ Binds: [`${dir}:/host`] })}}`,
      );
      assert.equal(alone.status, 403, alone.text);
    }
    assert.deepEqual(await engineView(docker, MALLORY), [], 'no container was created');
  });

  test('HostConfig fields at the top level (an old API layout the engine still reads) are refused', async () => {
    for (const [key, value] of Object.entries(HOST_REACHING)) {
      const answer = await rawRequest(
        sock(MALLORY),
        'POST',
        '/v1.41/containers/create',
        json({ Image: 'lab/node', [key]: value }),
      );
      assert.equal(answer.status, 400, `${key}: ${answer.text}`);
    }
    assert.deepEqual(await engineView(docker, MALLORY), []);
  });

  test("Image, Labels and Volumes in a second spelling are refused: no other learner's image, no spoofed owner, no volume", async () => {
    for (const [key, value] of [
      ['Image', `learner-${scopeOf(VICTIM).key}/app`],
      ['Labels', { 'lab.owner': VICTIM, 'lab.expires': '9999999999999' }],
      ['Volumes', { '/data': {} }],
    ] as const) {
      for (const variant of spellings(key)) {
        const answer = await rawRequest(
          sock(MALLORY),
          'POST',
          '/v1.41/containers/create',
          `{"Image":"lab/node","${key}":${key === 'Image' ? '"lab/node"' : '{}'},"${variant}":${json(value)}}`,
        );
        assert.equal(answer.status, 400, `${variant}: ${answer.text}`);
      }
    }
    const spoofed = await rawRequest(
      sock(MALLORY),
      'POST',
      '/v1.41/containers/create',
      json({ Image: 'lab/node', Labels: { 'lab.owner': VICTIM } }),
    );
    assert.equal(spoofed.status, 403);
    assert.deepEqual(await engineView(docker, MALLORY), []);
    assert.deepEqual(await engineView(docker, VICTIM), [], "nothing was created in the victim's name");
  });

  test('a privileged exec in any spelling is refused and no exec is created', async () => {
    const created = JSON.parse(
      (
        await rawRequest(
          sock(MALLORY),
          'POST',
          '/v1.41/containers/create?name=target',
          json({ Image: 'lab/node', Cmd: ['sleep', '300'] }),
        )
      ).text,
    ) as { Id: string };
    assert.equal((await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/start')).status, 204);
    for (const variant of ['privileged', 'PRIVILEGED', 'Privileged', 'privilegeD']) {
      const answer = await rawRequest(
        sock(MALLORY),
        'POST',
        '/v1.41/containers/target/exec',
        `{"Cmd":["id"],"${variant}":true}`,
      );
      assert.equal(answer.status, 403, `${variant}: ${answer.text}`);
      const twice = await rawRequest(
        sock(MALLORY),
        'POST',
        '/v1.41/containers/target/exec',
        `{"Cmd":["id"],"Privileged":false,"${variant === 'Privileged' ? 'privileged' : variant}":true}`,
      );
      assert.equal(twice.status, 400, twice.text);
    }
    const info = await docker.getContainer(created.Id).inspect();
    assert.deepEqual(info.ExecIDs ?? [], [], 'the engine never saw an exec');
    await assertSandboxed();
  });

  test('an update cannot raise limits or reach the host', async () => {
    for (const body of [
      { CgroupParent: '/' },
      { cgroupparent: '/' },
      { Devices: [{ PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'rwm' }] },
      { Memory: 8 * 2 ** 30, memory: 8 * 2 ** 30 },
    ]) {
      const answer = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/update', json(body));
      assert.ok(answer.status === 400 || answer.status === 403, `${json(body)}: ${answer.status} ${answer.text}`);
    }
    const raised = await rawRequest(
      sock(MALLORY),
      'POST',
      '/v1.41/containers/target/update',
      json({ Memory: 8 * 2 ** 30, PidsLimit: 100_000 }),
    );
    assert.equal(raised.status, 200, raised.text);
    await assertSandboxed();
  });

  test('an old API version cannot carry a HostConfig on start', async () => {
    const answer = await rawRequest(
      sock(MALLORY),
      'POST',
      '/v1.23/containers/target/start',
      json({ Binds: [`${dir}:/host`], Privileged: true }),
    );
    assert.equal(answer.status, 400, answer.text);
    await assertSandboxed();
  });
});

describe('request smuggling', () => {
  test('an upgrade the engine refuses closes the connection: nothing sent after it reaches the engine', async () => {
    // An exec created while the container ran, started after it stopped: the engine refuses the upgrade (409).
    const exec = JSON.parse(
      (
        await rawRequest(
          sock(MALLORY),
          'POST',
          '/v1.41/containers/target/exec',
          json({ Cmd: ['true'], AttachStdout: true }),
        )
      ).text,
    ) as { Id: string };
    assert.equal((await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/kill')).status, 204);
    const smuggled = json({
      Image: 'lab/node',
      Cmd: ['sh', '-c', 'echo pwned > /host/canary'],
      HostConfig: { Binds: [`${dir}:/host`], Privileged: true },
    });
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

  test("a connection reset in the middle of an upgrade is the client's loss, not the server's", async () => {
    // A ping whose answer is never read, then an upgrade whose body never comes, then a reset.
    for (let round = 0; round < 3; round += 1) {
      await new Promise<void>((resolve) => {
        const socket = net.connect({ path: sock(MALLORY) }, () => {
          socket.pause();
          socket.write(
            'GET /_ping HTTP/1.1\r\nHost: d\r\n\r\nPOST /v1.41/exec/x/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 10\r\n\r\n',
          );
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
