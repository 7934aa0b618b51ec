// The red team, part two: builds. A learner crafts build contexts and Dockerfiles to get an unchecked
// Dockerfile to the engine, to make the engine fetch a URL from the host's loopback (SSRF), to build
// FROM another learner's image, or to take that image away. Judged by what the engine did: images on
// the engine, the canary listener's hits, the other learner's image still there.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { OWNER_LABEL } from '../sandbox/labels';
import { startDockerProxy, type DockerProxy } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { rawRequest, startCanaryListener } from './red-team-support';
import { engineImageRef, scopeOf } from './scope';

const docker = dockerFromEnv();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-red-builds-'));
const MALLORY = `test-redb-mallory-${process.pid}`;
const VICTIM = `test-redb-victim-${process.pid}`;
const proxies = new Map<string, DockerProxy>();
const sock = (owner: string) => proxies.get(owner)!.socketPath;
let canary: Awaited<ReturnType<typeof startCanaryListener>>;

interface Entry {
  name: string;
  content?: string;
  type?: 'file' | 'symlink' | 'link' | 'directory';
  linkname?: string;
}

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const entry of entries) {
    if (entry.type && entry.type !== 'file') pack.entry({ name: entry.name, type: entry.type, linkname: entry.linkname, mode: 0o644, size: 0 });
    else pack.entry({ name: entry.name, type: 'file', mode: 0o644, size: Buffer.byteLength(entry.content ?? '') }, entry.content ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A build straight on the learner's socket; the answer's text (a 200 stream or an error). */
function build(owner: string, context: Buffer, query = 't=probe'): ReturnType<typeof rawRequest> {
  return rawRequest(sock(owner), 'POST', `/v1.41/build?${query}`, context, { 'content-type': 'application/x-tar' });
}

async function ownImageIds(owner: string): Promise<string[]> {
  return (await docker.listImages({ filters: { label: [`${OWNER_LABEL}=${owner}`] } })).map((info) => info.Id).sort();
}

/** Asserts that a build attempt built nothing and reached nothing. */
async function assertRefused(answer: Awaited<ReturnType<typeof rawRequest>>, before: string[], what: string): Promise<void> {
  assert.ok(answer.status >= 400 || /"error"/.test(answer.text), `${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
  assert.deepEqual(await ownImageIds(MALLORY), before, `${what}: no image was built`);
  assert.deepEqual(canary.hits, [], `${what}: the engine fetched ${canary.hits.join(', ')}`);
}

before(async () => {
  canary = await startCanaryListener();
  for (const owner of [MALLORY, VICTIM]) {
    proxies.set(owner, await startDockerProxy({ owner, socketPath: path.join(dir, `${owner.slice(10, 14)}.sock`) }));
  }
  const victim = await build(VICTIM, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nRUN echo secret > /secret\n' }]), 't=app');
  assert.equal(victim.status, 200, victim.text);
  assert.match(victim.text, /Successfully tagged app:latest/);
});

after(async () => {
  await canary.close();
  for (const proxy of proxies.values()) await proxy.close();
  for (const owner of [MALLORY, VICTIM]) await removeTerminalResources(owner, docker);
  fs.rmSync(dir, { recursive: true, force: true });
});

const EVIL = () => `FROM lab/node\nADD ${canary.url} /x\n`;

describe('build contexts that carry an unchecked Dockerfile', () => {
  test('an absolute name, ./, a symlink, a hardlink or a later duplicate named Dockerfile is refused', async () => {
    const before = await ownImageIds(MALLORY);
    const good = 'FROM lab/node\n';
    const contexts: [string, Entry[]][] = [
      ['absolute name', [{ name: '/Dockerfile', content: EVIL() }]],
      ['absolute beside a good one', [{ name: 'Dockerfile', content: good }, { name: '/Dockerfile', content: EVIL() }]],
      ['dot-slash duplicate', [{ name: 'Dockerfile', content: good }, { name: './Dockerfile', content: EVIL() }]],
      ['later duplicate', [{ name: 'Dockerfile', content: good }, { name: 'Dockerfile', content: EVIL() }]],
      ['symlink', [{ name: 'evil', content: EVIL() }, { name: 'Dockerfile', type: 'symlink', linkname: 'evil' }]],
      ['hardlink', [{ name: 'evil', content: EVIL() }, { name: 'Dockerfile', type: 'link', linkname: 'evil' }]],
      ['parent path', [{ name: 'x/../Dockerfile', content: EVIL() }]],
      ['symlink to the host', [{ name: 'Dockerfile', content: good }, { name: 'passwd', type: 'symlink', linkname: '/etc/passwd' }]],
    ];
    for (const [what, entries] of contexts) await assertRefused(await build(MALLORY, await tarOf(entries)), before, what);
    await assertRefused(await build(MALLORY, await tarOf([{ name: 'sub/Dockerfile', content: EVIL() }]), 't=probe&dockerfile=../sub/Dockerfile'), before, 'dockerfile parameter outside');
  });

  test('a gzip bomb is refused after reading no more than the limit', async () => {
    const before = await ownImageIds(MALLORY);
    // A tar holding a Dockerfile and a 256 MiB file of zeros, gzip-compressed to a few hundred KiB.
    const gzip = zlib.createGzip({ level: 9 });
    const compressed: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => compressed.push(chunk));
    const done = new Promise((resolve) => gzip.on('end', resolve));
    gzip.write(await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\n' }]).then((t) => t.subarray(0, t.length - 1024)));
    const header = (await tarOf([{ name: 'zeros', content: '' }])).subarray(0, 512);
    const big = Buffer.from(header);
    big.write((256 * 2 ** 20).toString(8).padStart(11, '0'), 124, 'latin1');
    big.fill(' ', 148, 156);
    big.write((big.reduce((sum, byte) => sum + byte, 0)).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    gzip.write(big);
    const zeros = Buffer.alloc(2 ** 20);
    for (let i = 0; i < 256; i += 1) gzip.write(zeros);
    gzip.end(Buffer.alloc(1024));
    await done;
    const bomb = Buffer.concat(compressed);
    assert.ok(bomb.length < 2 ** 20, `${bomb.length} bytes compressed`);
    const started = Date.now();
    const answer = await build(MALLORY, bomb);
    assert.equal(answer.status, 413, answer.text);
    assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`);
    await assertRefused(answer, before, 'gzip bomb');
  });
});

describe('Dockerfiles that fetch a URL, as the engine reads them', () => {
  test('ENV, ARG, quotes, escapes, JSON form and ONBUILD do not hide an ADD of a URL', async () => {
    const before = await ownImageIds(MALLORY);
    const url = canary.url;
    const [scheme, rest] = url.split('://');
    const dockerfiles: [string, string, string?][] = [
      ['ENV', `FROM lab/node\nENV U=${url}\nADD $U /x\n`],
      ['ENV braces', `FROM lab/node\nENV U=${url}\nADD \${U} /x\n`],
      ['ARG with a build arg', 'FROM lab/node\nARG U\nADD $U /x\n', `t=probe&buildargs=${encodeURIComponent(JSON.stringify({ U: url }))}`],
      ['quotes', `FROM lab/node\nADD "${scheme}:"//${rest} /x\n`],
      ['backslash', `FROM lab/node\nADD h\\ttp://${rest} /x\n`],
      ['JSON escapes', `FROM lab/node\nADD ["\\u0068ttp://${rest}", "/x"]\n`],
      ['upper case', `FROM lab/node\nADD ${url.toUpperCase().replace('HTTP', 'HtTp')} /x\n`],
      ['continuation', `FROM lab/node\nADD \\\n  ${url} \\\n  /x\n`],
      ['CRLF', `FROM lab/node\r\nADD ${url} /x\r\n`],
      ['ONBUILD', `FROM lab/node\nONBUILD ADD ${url} /x\n`],
      ['ONBUILD COPY --from another image', `FROM lab/node\nONBUILD COPY --from=${engineImageRef(scopeOf(VICTIM), 'app')} /secret /x\n`],
      ['bare CR', `FROM lab/node\rADD ${url} /x\n`],
    ];
    for (const [what, text, query] of dockerfiles) {
      await assertRefused(await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: text }]), query), before, what);
    }
  });

  test('a bare CR in a Dockerfile is a clean refusal and the learner\'s next build runs', async () => {
    const answer = await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\rRUN true' }]));
    assert.ok(answer.status === 400 || /"error"/.test(answer.text), answer.text);
    const next = await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nRUN true\n' }]), 't=fine');
    assert.equal(next.status, 200, next.text);
    assert.match(next.text, /Successfully tagged fine:latest/);
  });
});

describe('another learner\'s images', () => {
  test('FROM a number, an ID prefix or the victim\'s name in any form is refused', async () => {
    const before = await ownImageIds(MALLORY);
    const victimId = (await docker.getImage(engineImageRef(scopeOf(VICTIM), 'app')).inspect()).Id.replace('sha256:', '');
    for (const text of [
      'FROM lab/node AS a\nFROM lab/node AS b\nFROM lab/node AS c\nFROM 02\n',
      'FROM lab/node\nFROM 0\n',
      `FROM ${victimId.slice(0, 12)}\n`,
      `FROM sha256:${victimId}\n`,
      `FROM ${engineImageRef(scopeOf(VICTIM), 'app')}\n`,
      'FROM lab/node\nCOPY --from=1 /etc/hostname /x\n',
      `FROM lab/node\nCOPY --from=${victimId.slice(0, 8)} /secret /x\n`,
    ]) {
      await assertRefused(await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: text }])), before, text.replace(/\n/g, ' | '));
    }
  });

  test('an image the victim owns is not the attacker\'s even with the attacker\'s name on it', async () => {
    const victimImage = engineImageRef(scopeOf(VICTIM), 'app:latest');
    const id = (await docker.getImage(victimImage).inspect()).Id;
    // The state an old hole left behind: the attacker's name on the victim's image.
    await docker.getImage(id).tag({ repo: `${scopeOf(MALLORY).imagePrefix}stolen`, tag: 'latest' });
    for (const [method, target] of [['GET', '/images/stolen/json'], ['POST', `/images/stolen/tag?repo=again`], ['DELETE', `/images/${id.slice(7, 19)}?force=1`], ['DELETE', `/images/${id}?force=1`]]) {
      const answer = await rawRequest(sock(MALLORY), method, `/v1.41${target}`);
      assert.ok(answer.status >= 400, `${method} ${target}: ${answer.status} ${answer.text}`);
    }
    const run = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create', JSON.stringify({ Image: 'stolen' }));
    assert.equal(run.status, 404, run.text);
    // Taking the name away is allowed, and only the name goes.
    const untag = await rawRequest(sock(MALLORY), 'DELETE', '/v1.41/images/stolen?force=1');
    assert.equal(untag.status, 200, untag.text);
    assert.match(untag.text, /Untagged/);
    assert.doesNotMatch(untag.text, /Deleted/);
    assert.equal((await docker.getImage(victimImage).inspect()).Id, id, 'the victim\'s image is still there');
  });
});

describe('builds a learner may make', () => {
  test('an ordinary project of about 64 KiB builds', async () => {
    const entries: Entry[] = [{ name: 'Dockerfile', content: 'FROM lab/node\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n' }, { name: 'server.js', content: 'console.log(1)\n' }];
    for (let i = 0; i < 32; i += 1) entries.push({ name: `src/module-${i}.js`, content: `// ${'x'.repeat(2000)}\nmodule.exports = ${i};\n` });
    const context = await tarOf(entries);
    assert.ok(context.length > 64 * 1024, `${context.length} bytes`);
    const answer = await build(MALLORY, context, 't=project:1.0');
    assert.equal(answer.status, 200, answer.text.slice(0, 500));
    assert.match(answer.text, /Successfully tagged project:1\.0/);
    assert.match(answer.text, /Step 4\/4 : CMD/);
  });

  test('a build that writes more than the disk limit is stopped and says why', async () => {
    const answer = await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nRUN for i in 1 2 3 4 5 6; do head -c 60000000 /dev/zero > /f$i; sleep 1; done\n' }]), 't=big');
    assert.match(answer.text, /more than the 256 MiB/, answer.text.slice(-500));
    assert.doesNotMatch(answer.text, /Successfully tagged/);
  });

  test('a file larger than the build\'s file-size limit cannot be written', async () => {
    const answer = await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nRUN head -c 100000000 /dev/zero > /f\n' }]), 't=onefile');
    assert.match(answer.text, /"error"/, answer.text.slice(-500));
  });
});

describe('what a build leaves behind', () => {
  test('ADD never unpacks an archive, whichever header Go reads and whether ADD is in the Dockerfile or a base image\'s trigger', async () => {
    const before = await ownImageIds(MALLORY);
    // A V7 header (no ustar magic) whose checksum field Go cuts at a NUL: a tar to the engine.
    const header = Buffer.alloc(512);
    header.write('hello.txt', 0);
    header.write('0000644\0', 100);
    header.write('00000000005\0', 124);
    header.fill(' ', 148, 156);
    header.write(`${header.reduce((sum, byte) => sum + byte, 0).toString(8).padStart(6, '0')}\x007`, 148, 'latin1');
    const sneaky = Buffer.concat([header, Buffer.from('hello'), Buffer.alloc(507 + 1024)]);
    const pack = tar.pack();
    pack.entry({ name: 'Dockerfile' }, 'FROM lab/node\nADD s.tar /y/\n');
    pack.entry({ name: 's.tar' }, sneaky);
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    await assertRefused(await build(MALLORY, Buffer.concat(chunks)), before, 'ADD of a V7 tar');
    await assertRefused(await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nONBUILD ADD t.tgz /unpacked/\n' }]), 't=obase'), before, 'ONBUILD ADD');
  });

  test('an image built to an earlier stage, or whose last line ends in a form feed, is still the learner\'s', async () => {
    for (const [what, text, query] of [
      ['--target', 'FROM lab/node AS s1\nRUN echo hi > /x\nFROM lab/node\nRUN true\n', 't=staged&target=s1'],
      ['a backslash and a form feed at the end', 'FROM lab/node\nRUN echo \\\f', 't=feed'],
    ] as const) {
      const answer = await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: text }]), query);
      const name = new URLSearchParams(query).get('t')!;
      if (answer.status === 200 && /Successfully tagged/.test(answer.text)) {
        const info = await docker.getImage(engineImageRef(scopeOf(MALLORY), `${name}:latest`)).inspect();
        assert.equal(info.Config.Labels?.[OWNER_LABEL], MALLORY, `${what}: the image carries its owner`);
        assert.match((await rawRequest(sock(MALLORY), 'GET', '/v1.41/images/json')).text, new RegExp(`"${name}:latest"`), `${what}: the learner sees it and it counts`);
      } else {
        assert.ok(answer.status >= 400 || /"error"/.test(answer.text), `${what}: ${answer.text.slice(0, 300)}`);
      }
    }
  });

  test('a VOLUME, which the disk limit cannot measure, is refused in a Dockerfile and in an image', async () => {
    const before = await ownImageIds(MALLORY);
    await assertRefused(await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nVOLUME /data\n' }]), 't=vol'), before, 'VOLUME');
    // An image with a volume that carries the learner's labels (made here as no learner can).
    const labels = { [OWNER_LABEL]: MALLORY, 'lab.origin': 'terminal', 'lab.run': scopeOf(MALLORY).runId, 'lab.expires': String(Date.now() + 3_600_000) };
    const stream = (await docker.buildImage(Readable.from([await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nVOLUME /data\n' }])]), { t: engineImageRef(scopeOf(MALLORY), 'vol:latest'), labels } as never)) as unknown as NodeJS.ReadableStream;
    await new Promise((resolve) => docker.modem.followProgress(stream, resolve));
    const created = await rawRequest(sock(MALLORY), 'POST', '/v1.41/containers/create', JSON.stringify({ Image: 'vol' }));
    assert.equal(created.status, 403, created.text);
    assert.match(created.text, /declares a VOLUME/);
  });
});
