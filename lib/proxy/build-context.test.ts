// The build context the engine gets is built from what the lab accepted, never forwarded: archives are
// written with tar-stream, and what the lab sends is read back with tar-stream too. Here an ordinary
// context and names; entry types and one entry per path are in build-context-entries.test.ts, sizes and
// compressions in build-context-sizes.test.ts, hand-written headers (pax, GNU long names, broken ones) in
// build-context-tar.test.ts, gzip bombs in build-context-bomb.test.ts, the choice of the Dockerfile in
// build-context-dockerfile.test.ts, the tar written in build-context-pack.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { canonicalContext } from './build-context';
import {
  build,
  contextOf,
  DOCKERFILE,
  entriesOf,
  LIMITS,
  refusal,
  refusalOf,
  tarOf,
  type FixtureEntry,
} from './build-context-fixtures';

describe('canonicalContext: an ordinary context', () => {
  test('is accepted and rebuilt with the same names, contents and file permission bits, owned by root, dated 1970', async () => {
    const context = contextOf(
      await build([
        { name: 'Dockerfile', content: DOCKERFILE },
        { name: 'app', type: 'directory', mode: 0o750 },
        { name: 'app/server.js', content: 'console.log(1)\n', mode: 0o755 },
        { name: 'app/setuid', content: 'x', mode: 0o4755 },
        { name: 'app/sticky', type: 'directory', mode: 0o1777 },
        { name: '.dockerignore', content: 'node_modules\nDockerfile\n' },
      ]),
    );
    assert.deepEqual(context.dockerfile, { name: 'Dockerfile', text: DOCKERFILE });
    assert.deepEqual(
      context.files.map((f) => [f.name, f.mode.toString(8), f.content.toString()]),
      [
        ['.dockerignore', '644', 'node_modules\nDockerfile\n'],
        ['Dockerfile', '644', DOCKERFILE],
        ['app/server.js', '755', 'console.log(1)\n'],
        ['app/setuid', '755', 'x'],
      ],
    );
    assert.deepEqual(context.directories, ['app', 'app/sticky']);
    const sent = await entriesOf(context.tar);
    assert.deepEqual(
      sent.map((e) => [e.name, e.type, e.mode.toString(8), e.uid, e.gid, e.uname, e.gname, e.content.toString()]),
      [
        ['.dockerignore', 'file', '644', 0, 0, '', '', 'node_modules\nDockerfile\n'],
        ['Dockerfile', 'file', '644', 0, 0, '', '', DOCKERFILE],
        ['app/', 'directory', '755', 0, 0, '', '', ''],
        ['app/server.js', 'file', '755', 0, 0, '', '', 'console.log(1)\n'],
        ['app/setuid', 'file', '755', 0, 0, '', '', 'x'],
        ['app/sticky/', 'directory', '755', 0, 0, '', '', ''],
      ],
    );
    assert.ok(sent.every((e) => e.mtime.getTime() === 0 && e.pax === null));
  });

  test('gzip-compressed, it gives the same tar as plain', async () => {
    const archive = await tarOf([
      { name: 'Dockerfile', content: DOCKERFILE },
      { name: 'a.txt', content: 'a' },
    ]);
    const plain = contextOf(await canonicalContext(archive, null, LIMITS));
    const gzipped = contextOf(await canonicalContext(zlib.gzipSync(archive), null, LIMITS));
    assert.ok(plain.tar.equals(gzipped.tar));
  });

  test('`./Dockerfile` is accepted as `Dockerfile`, and the `./` root folder is left out', async () => {
    const context = contextOf(
      await build([
        { name: './', type: 'directory' },
        { name: './Dockerfile', content: DOCKERFILE },
        { name: './src/a.js', content: 'a' },
      ]),
    );
    assert.equal(context.dockerfile.name, 'Dockerfile');
    assert.deepEqual(
      context.files.map((f) => f.name),
      ['Dockerfile', 'src/a.js'],
    );
    assert.deepEqual(context.directories, []);
  });

  test('a project of 40 files (~64 KiB) round-trips; the same files in another order, at another time, give the same tar', async () => {
    const entries: FixtureEntry[] = [{ name: 'Dockerfile', content: DOCKERFILE }];
    for (let i = 0; i < 39; i++)
      entries.push({
        name: `src/part-${i % 4}/file-${i}.js`,
        content: `// ${i}\n${'x'.repeat(1600 + i)}\n`,
        mode: i % 3 ? 0o644 : 0o755,
      });
    const context = contextOf(await build(entries));
    const sent = await entriesOf(context.tar);
    assert.equal(sent.length, 40);
    assert.ok(context.tar.length > 64 * 1024);
    for (const entry of entries) {
      const found = sent.find((e) => e.name === entry.name)!;
      assert.equal(found.content.toString(), entry.content);
      assert.equal(found.mode, entry.mode ?? 0o644);
    }
    const reversed = contextOf(await build([...entries].reverse().map((entry) => ({ ...entry, mtime: new Date() }))));
    assert.ok(reversed.tar.equals(context.tar));
  });

  test('an empty body holds no Dockerfile', async () => {
    assert.deepEqual(refusalOf(await canonicalContext(Buffer.alloc(0), null, LIMITS)), {
      status: 400,
      message: 'Cannot locate specified Dockerfile: Dockerfile',
    });
  });
});

describe('canonicalContext: names', () => {
  for (const [name, reason] of [
    ['/Dockerfile', 'starts with /'],
    ['../x', 'has a .. part'],
    ['a/../Dockerfile', 'has a .. part'],
    ['a/./b', 'has a . part'],
    ['././Dockerfile', 'has a . part'],
    ['a//b', 'has an empty part'],
    ['a\\b', 'holds a backslash'],
    ['a\u0001b', 'holds a control character'],
    ['a\u007fb', 'holds a control character'],
  ]) {
    test(`${JSON.stringify(name)} is refused, named`, async () => {
      const refused = await refusal([
        { name: 'Dockerfile', content: DOCKERFILE },
        { name, content: 'x' },
      ]);
      assert.equal(refused.status, 400);
      assert.match(refused.message, new RegExp(`^the build context holds .*, whose name ${reason}`));
      assert.ok(
        refused.message.includes(/[\u0000-\u001f\u007f\\]/.test(name) ? JSON.stringify(name) : name),
        refused.message,
      );
    });
  }

  test('names over maxNameBytes or deeper than maxDepth are refused', async () => {
    const long = `${'a'.repeat(100)}/${'b'.repeat(100)}/${'c'.repeat(56)}`;
    assert.match((await refusal([{ name: long, content: 'x' }])).message, /whose name is longer than 255 bytes/);
    assert.match(
      (await refusal([{ name: 'a/b/c/d/e/f/g/h/i', content: 'x' }])).message,
      /whose name is more than 8 folders deep/,
    );
  });
});
