// A property of the proxy, tried on random requests: whatever a learner sends (every field of the
// create, exec, update and build requests, with keys in random case, duplicated, or Unicode-folded as
// the engine's decoder folds them), the engine never receives a forbidden value. The proxy talks to the
// real engine through a tap that records each request; each recorded body is read as the engine reads
// it (later keys win, case folded), and every container is inspected on the engine itself.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { tarOf } from './build-context-fixtures';
import { startDockerProxy, type DockerProxy } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { engineView, hostReach, rawRequest, startTap } from './red-team-support';
import {
  ALLOWED_HOST,
  dir,
  FORBIDDEN_HOST,
  FORBIDDEN_TOP,
  OWNER,
  pick,
  rand,
  scramble,
  SEED,
  violations,
} from './request-fuzz-fixtures';
import { scopeOf } from './scope';
import { DockerEngine } from '../sandbox/docker-engine';
import { TerminalWatches } from './terminal-watches';

let tap: Awaited<ReturnType<typeof startTap>>;
let proxy: DockerProxy;
let docker: Docker;

before(async () => {
  tap = await startTap(path.join(dir, 'engine.sock'));
  docker = new Docker({ socketPath: path.join(dir, 'engine.sock') });
  proxy = await startDockerProxy({
    owner: OWNER,
    socketPath: path.join(dir, 'learner.sock'),
    docker,
    quotas: { containers: 8, images: 8, imageBytes: 512 * 2 ** 20, concurrentBuilds: 1, buildContextBytes: 2 ** 20 },
    watches: new TerminalWatches(new DockerEngine()),
  });
});

after(async () => {
  await proxy.close();
  await removeTerminalResources(OWNER, new Docker());
  await tap.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test(`no spelling of any field gets a forbidden value to the engine (seed ${SEED})`, async (t) => {
  const say = (text: string) => `${text} (seed ${SEED}; replay with LAB_FUZZ_SEED=${SEED})`;
  const sock = proxy.socketPath;
  const target = JSON.parse(
    (
      await rawRequest(
        sock,
        'POST',
        '/v1.41/containers/create?name=fuzz-target',
        JSON.stringify({ Image: 'lab/node', Cmd: ['sleep', '600'] }),
      )
    ).text,
  ) as { Id: string };
  assert.ok(target.Id, 'a container to exec into and update');
  await rawRequest(sock, 'POST', '/v1.41/containers/fuzz-target/start');
  const statuses = new Map<number, number>();
  for (let round = 0; round < 160; round += 1) {
    const kind = pick(['create', 'create', 'create', 'exec', 'update'] as const);
    let answer;
    if (kind === 'create') {
      // Most creates carry a forbidden value; some only allowed ones, which must go through sandboxed.
      const host = Object.assign(
        {},
        pick(ALLOWED_HOST),
        rand() < 0.7 ? pick(FORBIDDEN_HOST) : {},
        rand() < 0.3 ? pick(ALLOWED_HOST) : {},
      );
      const body = { Image: 'lab/node', Cmd: ['true'], HostConfig: host, ...(rand() < 0.3 ? pick(FORBIDDEN_TOP) : {}) };
      answer = await rawRequest(sock, 'POST', '/v1.41/containers/create', scramble(body));
    } else if (kind === 'exec') {
      answer = await rawRequest(
        sock,
        'POST',
        '/v1.41/containers/fuzz-target/exec',
        scramble({ Cmd: ['id'], AttachStdout: true, Privileged: true }),
      );
    } else {
      answer = await rawRequest(
        sock,
        'POST',
        '/v1.41/containers/fuzz-target/update',
        scramble(pick(FORBIDDEN_HOST.filter((host) => !('Binds' in host || 'Mounts' in host)))),
      );
    }
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (answer.status === 201 && kind === 'create')
      await rawRequest(sock, 'DELETE', `/v1.41/containers/${(JSON.parse(answer.text) as { Id: string }).Id}?force=1`);
  }
  for (const [query, refused] of [
    ['t=fuzz&networkmode=host', true],
    ['t=fuzz&NetworkMode=host&cgroupparent=/&memory=99999999999', false],
    ['t=fuzz&extrahosts=h:127.0.0.1', true],
    ['t=fuzz&labels=%7B%22lab.owner%22%3A%22x%22%7D', true],
    ['t=fuzz&Labels=%7B%22lab.owner%22%3A%22x%22%7D&CacheFrom=%5B%22x%22%5D', false],
    ['t=fuzz&remote=http://127.0.0.1/', true],
  ] as const) {
    const context = await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nCMD ["true"]\n' }]);
    const answer = await rawRequest(sock, 'POST', `/v1.41/build?${query}`, context, {
      'content-type': 'application/x-tar',
    });
    if (refused) assert.ok(answer.status >= 400, say(`${query}: ${answer.status}`));
    else assert.match(answer.text, /Successfully tagged fuzz:latest/, say(`${query}: ${answer.text.slice(0, 300)}`));
  }
  const seen = tap.requests.flatMap((request) =>
    violations(request).map((problem) => `${request.method} ${request.path}: ${problem}`),
  );
  assert.deepEqual(seen, [], say('the engine received a forbidden value'));
  for (const info of await engineView(new Docker(), OWNER))
    assert.deepEqual(hostReach(info), [], say(`${info.Name} reaches the host`));
  assert.ok(
    tap.requests.some((request) => /\/containers\/create/.test(request.path)),
    'some creates were allowed through, with the sandbox applied',
  );
  assert.ok(
    (statuses.get(400) ?? 0) > 0 && (statuses.get(403) ?? 0) > 0,
    `refusals of both kinds: ${JSON.stringify([...statuses])}`,
  );
  assert.equal(scopeOf(OWNER).owner, OWNER);
  t.diagnostic(
    `answers ${JSON.stringify(Object.fromEntries(statuses))}; the engine was sent ${tap.requests.length} requests, ${tap.requests.filter((r) => /containers\/create/.test(r.path)).length} of them creates`,
  );
});
