// The red team, part one (continued): what the engine says of itself through the proxy, and the bounds a
// learner's requests meet there: quotas under concurrent creates, the healthcheck floor, a stream flood,
// the disk limit from the container's start. Judged by what the engine did.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { removeTerminalResources } from './terminal-resources';
import { engineView, rawRequest } from './red-team-support';
import { docker, json, MALLORY, redTeamProxies, sock, VICTIM } from './red-team-requests-fixtures';

redTeamProxies();

describe('what the engine is and what it holds', () => {
  test('/version and /_ping say what the CLI needs and nothing of the host', async () => {
    const version = await rawRequest(sock(MALLORY), 'GET', '/version');
    const body = JSON.parse(version.text) as Record<string, unknown>;
    for (const field of ['KernelVersion', 'GoVersion', 'GitCommit', 'BuildTime'])
      assert.equal(body[field], undefined, field);
    assert.doesNotMatch(version.text, /containerd|runc|linuxkit|\d+\.\d+\.\d+-\d+-amd64|go1\./i);
    assert.match(String(body.ApiVersion), /^1\.\d+$/);
    const ping = await rawRequest(sock(MALLORY), 'GET', '/_ping');
    assert.equal(ping.text, 'OK');
    assert.equal(ping.headers.server, undefined, 'no Server header naming the engine');
    assert.equal(ping.headers['builder-version'], '1');
  });

  test('twenty creates at once stay within the quota of eight', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/create', json({ Image: 'lab/node', Cmd: ['true'] })),
      ),
    );
    assert.equal(answers.filter((answer) => answer.status === 201).length, 8, answers.map((a) => a.status).join(' '));
    assert.equal((await engineView(docker, VICTIM)).length, 8);
    await removeTerminalResources(VICTIM, docker);
  });

  test('a healthcheck every millisecond is raised to the floor, given or inherited', async () => {
    const answer = await rawRequest(
      sock(VICTIM),
      'POST',
      '/v1.41/containers/create',
      json({ Image: 'lab/node', Cmd: ['sleep', '30'], Healthcheck: { Test: ['CMD', 'true'], Interval: 1_000_000 } }),
    );
    assert.equal(answer.status, 201, answer.text);
    const info = await docker.getContainer((JSON.parse(answer.text) as { Id: string }).Id).inspect();
    assert.equal((info.Config.Healthcheck as { Interval?: number }).Interval, 2e9);
    await removeTerminalResources(VICTIM, docker);
  });

  test("a stream flood is held to the learner's bound", async () => {
    const opened: Promise<number>[] = [];
    const sockets: net.Socket[] = [];
    for (let i = 0; i < 40; i += 1) {
      opened.push(
        new Promise((resolve) => {
          const socket = net.connect({ path: sock(VICTIM) });
          sockets.push(socket);
          socket.on('data', (chunk: Buffer) =>
            resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0)),
          );
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
    assert.ok(
      statuses.every((status) => status === 200 || status === 429 || status === -1),
      statuses.join(' '),
    );
    assert.ok(statuses.includes(429) || statuses.includes(-1), 'the flood was turned away');
  });
});

describe('limits a learner cannot leave behind', () => {
  test("the disk limit holds from the container's start, with no page following it", async () => {
    const created = await rawRequest(
      sock(VICTIM),
      'POST',
      '/v1.41/containers/create?name=filler',
      json({
        Image: 'lab/node',
        Cmd: ['sh', '-c', 'for i in 1 2 3 4 5 6; do head -c 60000000 /dev/zero > /f$i; done; sleep 120'],
      }),
    );
    assert.equal(created.status, 201, created.text);
    assert.equal((await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/filler/start')).status, 204);
    const waited = await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/filler/wait?condition=not-running');
    assert.equal(
      (JSON.parse(waited.text) as { StatusCode: number }).StatusCode,
      137,
      'killed past the disk limit, not left to sleep',
    );
    await removeTerminalResources(VICTIM, docker);
  });
});
