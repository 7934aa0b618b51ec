// The red team, part one (second round): a learner who floods their own socket with pipelined requests,
// hung-up streams, answers too large to hold and exec instances, and who asks docker top and the engine's
// errors for the host's processes and paths.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { describe, test } from 'node:test';
import { waitFor } from '../testing/wait-for';
import { removeTerminalResources } from './terminal-resources';
import { rawExchange, rawRequest } from './red-team-support';
import { docker, json, MALLORY, redTeamProxies, sock, VICTIM } from './red-team-requests-fixtures';

// The streams below read the logs of Mallory's container "target", which the tests of key spelling and
// smuggling leave behind stopped (created, started, then killed): here it is made the same way.
redTeamProxies(async () => {
  assert.equal(
    (
      await rawRequest(
        sock(MALLORY),
        'POST',
        '/v1.41/containers/create?name=target',
        json({ Image: 'lab/node', Cmd: ['sleep', '300'] }),
      )
    ).status,
    201,
  );
  assert.equal((await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/start')).status, 204);
  assert.equal((await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/target/kill')).status, 204);
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
    await waitFor(
      async () => {
        const status = await new Promise<number>((resolve) => {
          const request = http.request(
            { socketPath: sock(MALLORY), path: '/v1.41/containers/target/logs?stdout=1', headers: { host: 'docker' } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          request.on('error', () => resolve(0));
          request.end();
        });
        assert.equal(status, 200);
        return true;
      },
      { timeoutMs: 5_000, what: 'a stream to open again', intervalMs: 100 },
    );
  });

  test('an answer too large to hold is refused, not held', async () => {
    const created = await rawRequest(
      sock(VICTIM),
      'POST',
      '/v1.41/containers/create?name=long-paths',
      json({
        Image: 'lab/node',
        Cmd: [
          'sh',
          '-c',
          'd=/x; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do d=$d/$(printf "%0250d" $i); done; mkdir -p $d; cd $d; for i in $(seq 700); do : > $(printf "%0200d" $i); done; sleep 60',
        ],
      }),
    );
    assert.equal(created.status, 201, created.text);
    await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/long-paths/start');
    // The diff grows as the container makes its files, until the lab refuses to pass it on.
    const diff = await waitFor(
      async () => {
        const answer = await rawRequest(sock(VICTIM), 'GET', '/v1.41/containers/long-paths/changes');
        return answer.status !== 200 && answer;
      },
      { timeoutMs: 20_000, what: 'the diff to be refused', intervalMs: 200 },
    );
    assert.equal(diff.status, 502, `${diff.status} ${diff.text.slice(0, 200)}`);
    assert.match(diff.text, /larger than the 2 MiB the lab passes on/);
    await removeTerminalResources(VICTIM, docker);
  });

  test('exec instances are counted: no more than the bound may wait in the engine', async () => {
    await rawRequest(
      sock(VICTIM),
      'POST',
      '/v1.41/containers/create?name=execs',
      json({ Image: 'lab/node', Cmd: ['sleep', '120'] }),
    );
    await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/execs/start');
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1)
      statuses.push(
        (await rawRequest(sock(VICTIM), 'POST', '/v1.41/containers/execs/exec', json({ Cmd: ['true'] }))).status,
      );
    assert.equal(statuses.filter((status) => status === 201).length, 32, statuses.join(' '));
    assert.ok(statuses.slice(32).every((status) => status === 429));
    await removeTerminalResources(VICTIM, docker);
  });

  test("docker top shows the container's processes only, and its errors quote no host process", async () => {
    await rawRequest(
      sock(MALLORY),
      'POST',
      '/v1.41/containers/create?name=top-target',
      json({ Image: 'lab/node', Cmd: ['sleep', '300'] }),
    );
    await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/top-target/start');
    for (const args of ['-p 1 -o args,pid', '-o args,pid --sort=-pid', '-e -o args,pid', 'aux --pid 1']) {
      const answer = await rawRequest(
        sock(MALLORY),
        'GET',
        `/v1.41/containers/top-target/top?ps_args=${encodeURIComponent(args)}`,
      );
      assert.equal(answer.status, 400, `${args}: ${answer.text}`);
    }
    const top = await rawRequest(
      sock(MALLORY),
      'GET',
      `/v1.41/containers/top-target/top?ps_args=${encodeURIComponent('-o pid,args')}`,
    );
    assert.equal(top.status, 200, top.text);
    assert.deepEqual(
      (JSON.parse(top.text) as { Processes: string[][] }).Processes.map((row) => row[1]),
      ['sleep 300'],
    );
  });

  test("an engine error names no path of the engine's", async () => {
    const created = await rawRequest(
      sock(MALLORY),
      'POST',
      '/v1.41/containers/create',
      json({ Image: 'lab/node', Cmd: ['true'], WorkingDir: '/etc/passwd/x' }),
    );
    const started =
      created.status === 201
        ? await rawRequest(
            sock(MALLORY),
            'POST',
            `/v1.41/containers/${(JSON.parse(created.text) as { Id: string }).Id}/start`,
          )
        : created;
    assert.ok(started.status >= 400, started.text);
    assert.doesNotMatch(started.text, /\/var\/lib\/docker|overlay2|100000/, started.text);
  });
});
