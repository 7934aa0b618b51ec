// The red team, part two: builds. A learner crafts build contexts and Dockerfiles to get an unchecked
// Dockerfile to the engine, to make the engine fetch a URL from the host's loopback (SSRF), to build
// FROM another learner's image, or to take that image away. Judged by what the engine did: images on
// the engine, the canary listener's hits, the other learner's image still there.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import {
  assertRefused,
  build,
  canary,
  EVIL,
  MALLORY,
  ownImageIds,
  redTeamBuildProxies,
  tarOf,
  VICTIM,
  type Entry,
} from './red-team-builds-fixtures';
import { engineImageRef, scopeOf } from './scope';

redTeamBuildProxies();

describe('build contexts that carry an unchecked Dockerfile', () => {
  test('an absolute name, ./, a symlink, a hardlink or a later duplicate named Dockerfile is refused', async () => {
    const before = await ownImageIds(MALLORY);
    const good = 'FROM lab/node\n';
    const contexts: [string, Entry[]][] = [
      ['absolute name', [{ name: '/Dockerfile', content: EVIL() }]],
      [
        'absolute beside a good one',
        [
          { name: 'Dockerfile', content: good },
          { name: '/Dockerfile', content: EVIL() },
        ],
      ],
      [
        'dot-slash duplicate',
        [
          { name: 'Dockerfile', content: good },
          { name: './Dockerfile', content: EVIL() },
        ],
      ],
      [
        'later duplicate',
        [
          { name: 'Dockerfile', content: good },
          { name: 'Dockerfile', content: EVIL() },
        ],
      ],
      [
        'symlink',
        [
          { name: 'evil', content: EVIL() },
          { name: 'Dockerfile', type: 'symlink', linkname: 'evil' },
        ],
      ],
      [
        'hardlink',
        [
          { name: 'evil', content: EVIL() },
          { name: 'Dockerfile', type: 'link', linkname: 'evil' },
        ],
      ],
      ['parent path', [{ name: 'x/../Dockerfile', content: EVIL() }]],
      [
        'symlink to the host',
        [
          { name: 'Dockerfile', content: good },
          { name: 'passwd', type: 'symlink', linkname: '/etc/passwd' },
        ],
      ],
    ];
    for (const [what, entries] of contexts)
      await assertRefused(await build(MALLORY, await tarOf(entries)), before, what);
    await assertRefused(
      await build(
        MALLORY,
        await tarOf([{ name: 'sub/Dockerfile', content: EVIL() }]),
        't=probe&dockerfile=../sub/Dockerfile',
      ),
      before,
      'dockerfile parameter outside',
    );
  });

  test('a gzip bomb is refused after reading no more than the limit', async () => {
    const before = await ownImageIds(MALLORY);
    // A tar holding a Dockerfile and a 256 MiB file of zeros, gzip-compressed to a few hundred KiB.
    const gzip = zlib.createGzip({ level: 9 });
    const compressed: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => compressed.push(chunk));
    const done = new Promise((resolve) => gzip.on('end', resolve));
    gzip.write(
      await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\n' }]).then((t) => t.subarray(0, t.length - 1024)),
    );
    const header = (await tarOf([{ name: 'zeros', content: '' }])).subarray(0, 512);
    const big = Buffer.from(header);
    big.write((256 * 2 ** 20).toString(8).padStart(11, '0'), 124, 'latin1');
    big.fill(' ', 148, 156);
    big.write(
      big
        .reduce((sum, byte) => sum + byte, 0)
        .toString(8)
        .padStart(6, '0') + '\0 ',
      148,
      'latin1',
    );
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
      [
        'ARG with a build arg',
        'FROM lab/node\nARG U\nADD $U /x\n',
        `t=probe&buildargs=${encodeURIComponent(JSON.stringify({ U: url }))}`,
      ],
      ['quotes', `FROM lab/node\nADD "${scheme}:"//${rest} /x\n`],
      ['backslash', `FROM lab/node\nADD h\\ttp://${rest} /x\n`],
      ['JSON escapes', `FROM lab/node\nADD ["\\u0068ttp://${rest}", "/x"]\n`],
      ['upper case', `FROM lab/node\nADD ${url.toUpperCase().replace('HTTP', 'HtTp')} /x\n`],
      ['continuation', `FROM lab/node\nADD \\\n  ${url} \\\n  /x\n`],
      ['CRLF', `FROM lab/node\r\nADD ${url} /x\r\n`],
      ['ONBUILD', `FROM lab/node\nONBUILD ADD ${url} /x\n`],
      [
        'ONBUILD COPY --from another image',
        `FROM lab/node\nONBUILD COPY --from=${engineImageRef(scopeOf(VICTIM), 'app')} /secret /x\n`,
      ],
      ['bare CR', `FROM lab/node\rADD ${url} /x\n`],
    ];
    for (const [what, text, query] of dockerfiles) {
      await assertRefused(
        await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: text }]), query),
        before,
        what,
      );
    }
  });

  test("a bare CR in a Dockerfile is a clean refusal and the learner's next build runs", async () => {
    const answer = await build(MALLORY, await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\rRUN true' }]));
    assert.ok(answer.status === 400 || /"error"/.test(answer.text), answer.text);
    const next = await build(
      MALLORY,
      await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nRUN true\n' }]),
      't=fine',
    );
    assert.equal(next.status, 200, next.text);
    assert.match(next.text, /Successfully tagged fine:latest/);
  });
});
