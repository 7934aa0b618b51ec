// The red team, part two (continued): a learner builds to reach another learner's image (FROM or COPY
// --from it, by number, ID or name), to take it away, and to leave behind what the lab would not count:
// an archive unpacked by ADD, an image built to an earlier stage, a VOLUME. Judged by what the engine did.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import tar from 'tar-stream';
import { OWNER_LABEL } from '../sandbox/labels';
import { rawRequest } from './red-team-support';
import {
  assertRefused,
  build,
  docker,
  MALLORY,
  ownImageIds,
  redTeamBuildProxies,
  sock,
  tarOf,
  VICTIM,
} from './red-team-builds-fixtures';
import { engineImageRef, scopeOf } from './scope';

redTeamBuildProxies();

describe("another learner's images", () => {
  test("FROM a number, an ID prefix or the victim's name in any form is refused", async () => {
    const before = await ownImageIds(MALLORY);
    const victimId = (await docker.getImage(engineImageRef(scopeOf(VICTIM), 'app')).inspect()).Id.replace(
      'sha256:',
      '',
    );
    for (const text of [
      'FROM lab/node AS a\nFROM lab/node AS b\nFROM lab/node AS c\nFROM 02\n',
      'FROM lab/node\nFROM 0\n',
      `FROM ${victimId.slice(0, 12)}\n`,
      `FROM sha256:${victimId}\n`,
      `FROM ${engineImageRef(scopeOf(VICTIM), 'app')}\n`,
      'FROM lab/node\nCOPY --from=1 /etc/hostname /x\n',
      `FROM lab/node\nCOPY --from=${victimId.slice(0, 8)} /secret /x\n`,
    ]) {
      await assertRefused(
        await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: text }])),
        before,
        text.replace(/\n/g, ' | '),
      );
    }
  });

  test("an image the victim owns is not the attacker's even with the attacker's name on it", async () => {
    const victimImage = engineImageRef(scopeOf(VICTIM), 'app:latest');
    const id = (await docker.getImage(victimImage).inspect()).Id;
    // The state an old hole left behind: the attacker's name on the victim's image.
    await docker.getImage(id).tag({ repo: `${scopeOf(MALLORY).imagePrefix}stolen`, tag: 'latest' });
    for (const [method, target] of [
      ['GET', '/images/stolen/json'],
      ['POST', `/images/stolen/tag?repo=again`],
      ['DELETE', `/images/${id.slice(7, 19)}?force=1`],
      ['DELETE', `/images/${id}?force=1`],
    ]) {
      const answer = await rawRequest(sock(MALLORY), method, `/v1.41${target}`);
      assert.ok(answer.status >= 400, `${method} ${target}: ${answer.status} ${answer.text}`);
    }
    const run = await rawRequest(
      sock(MALLORY),
      'POST',
      '/v1.41/containers/create',
      JSON.stringify({ Image: 'stolen' }),
    );
    assert.equal(run.status, 404, run.text);
    // Taking the name away is allowed, and only the name goes.
    const untag = await rawRequest(sock(MALLORY), 'DELETE', '/v1.41/images/stolen?force=1');
    assert.equal(untag.status, 200, untag.text);
    assert.match(untag.text, /Untagged/);
    assert.doesNotMatch(untag.text, /Deleted/);
    assert.equal((await docker.getImage(victimImage).inspect()).Id, id, "the victim's image is still there");
  });
});

describe('what a build leaves behind', () => {
  test("ADD never unpacks an archive, whichever header Go reads and whether ADD is in the Dockerfile or a base image's trigger", async () => {
    const before = await ownImageIds(MALLORY);
    // A V7 header (no ustar magic) whose checksum field Go cuts at a NUL: a tar to the engine.
    const header = Buffer.alloc(512);
    header.write('hello.txt', 0);
    header.write('0000644\0', 100);
    header.write('00000000005\0', 124);
    header.fill(' ', 148, 156);
    header.write(
      `${header
        .reduce((sum, byte) => sum + byte, 0)
        .toString(8)
        .padStart(6, '0')}\x007`,
      148,
      'latin1',
    );
    const sneaky = Buffer.concat([header, Buffer.from('hello'), Buffer.alloc(507 + 1024)]);
    const pack = tar.pack();
    pack.entry({ name: 'Dockerfile' }, 'FROM lab/node\nADD s.tar /y/\n');
    pack.entry({ name: 's.tar' }, sneaky);
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    await assertRefused(await build(MALLORY, Buffer.concat(chunks)), before, 'ADD of a V7 tar');
    await assertRefused(
      await build(
        MALLORY,
        await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nONBUILD ADD t.tgz /unpacked/\n' }]),
        't=obase',
      ),
      before,
      'ONBUILD ADD',
    );
  });

  test("an image built to an earlier stage, or whose last line ends in a form feed, is still the learner's", async () => {
    for (const [what, text, query] of [
      ['--target', 'FROM lab/node AS s1\nRUN echo hi > /x\nFROM lab/node\nRUN true\n', 't=staged&target=s1'],
      ['a backslash and a form feed at the end', 'FROM lab/node\nRUN echo \\\f', 't=feed'],
    ] as const) {
      const answer = await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: text }]), query);
      const name = new URLSearchParams(query).get('t')!;
      if (answer.status === 200 && /Successfully tagged/.test(answer.text)) {
        const info = await docker.getImage(engineImageRef(scopeOf(MALLORY), `${name}:latest`)).inspect();
        assert.equal(info.Config.Labels?.[OWNER_LABEL], MALLORY, `${what}: the image carries its owner`);
        assert.match(
          (await rawRequest(sock(MALLORY), 'GET', '/v1.41/images/json')).text,
          new RegExp(`"${name}:latest"`),
          `${what}: the learner sees it and it counts`,
        );
      } else {
        assert.ok(answer.status >= 400 || /"error"/.test(answer.text), `${what}: ${answer.text.slice(0, 300)}`);
      }
    }
  });

  test('a VOLUME, which the disk limit cannot measure, is refused in a Dockerfile and in an image', async () => {
    const before = await ownImageIds(MALLORY);
    await assertRefused(
      await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nVOLUME /data\n' }]), 't=vol'),
      before,
      'VOLUME',
    );
    // An image with a volume that carries the learner's labels (made here as no learner can).
    const labels = {
      [OWNER_LABEL]: MALLORY,
      'lab.origin': 'terminal',
      'lab.run': scopeOf(MALLORY).runId,
      'lab.expires': String(Date.now() + 3_600_000),
    };
    const stream = (await docker.buildImage(
      Readable.from([await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nVOLUME /data\n' }])]),
      { t: engineImageRef(scopeOf(MALLORY), 'vol:latest'), labels } as never,
    )) as unknown as NodeJS.ReadableStream;
    await new Promise((resolve) => docker.modem.followProgress(stream, resolve));
    const created = await rawRequest(
      sock(MALLORY),
      'POST',
      '/v1.41/containers/create',
      JSON.stringify({ Image: 'vol' }),
    );
    assert.equal(created.status, 403, created.text);
    assert.match(created.text, /declares a VOLUME/);
  });
});
