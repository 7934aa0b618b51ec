// The build context the engine gets is built from what the lab accepted, never forwarded: archives are
// written with tar-stream, and what the lab sends is read back with tar-stream too. Hand-written headers
// (pax, GNU long names, broken ones) are in build-context-tar.test.ts, gzip bombs in build-context-bomb.test.ts,
// the choice of the Dockerfile in build-context-dockerfile.test.ts, the tar written in build-context-pack.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { canonicalContext } from './build-context';
import { LIMITS, contextOf, entriesOf, refusalOf, tarOf, type FixtureEntry } from './build-context-fixtures';

const DOCKERFILE = 'FROM lab/node\nCOPY . /app\n';
const build = async (entries: FixtureEntry[], param: string | null = null, limits = LIMITS) => canonicalContext(await tarOf(entries), param, limits);
const refusal = async (entries: FixtureEntry[], param: string | null = null, limits = LIMITS) => refusalOf(await build(entries, param, limits));

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
    assert.deepEqual(context.files.map((f) => [f.name, f.mode.toString(8), f.content.toString()]), [
      ['.dockerignore', '644', 'node_modules\nDockerfile\n'],
      ['Dockerfile', '644', DOCKERFILE],
      ['app/server.js', '755', 'console.log(1)\n'],
      ['app/setuid', '755', 'x'],
    ]);
    assert.deepEqual(context.directories, ['app', 'app/sticky']);
    const sent = await entriesOf(context.tar);
    assert.deepEqual(sent.map((e) => [e.name, e.type, e.mode.toString(8), e.uid, e.gid, e.uname, e.gname, e.content.toString()]), [
      ['.dockerignore', 'file', '644', 0, 0, '', '', 'node_modules\nDockerfile\n'],
      ['Dockerfile', 'file', '644', 0, 0, '', '', DOCKERFILE],
      ['app/', 'directory', '755', 0, 0, '', '', ''],
      ['app/server.js', 'file', '755', 0, 0, '', '', 'console.log(1)\n'],
      ['app/setuid', 'file', '755', 0, 0, '', '', 'x'],
      ['app/sticky/', 'directory', '755', 0, 0, '', '', ''],
    ]);
    assert.ok(sent.every((e) => e.mtime.getTime() === 0 && e.pax === null));
  });

  test('gzip-compressed, it gives the same tar as plain', async () => {
    const archive = await tarOf([{ name: 'Dockerfile', content: DOCKERFILE }, { name: 'a.txt', content: 'a' }]);
    const plain = contextOf(await canonicalContext(archive, null, LIMITS));
    const gzipped = contextOf(await canonicalContext(zlib.gzipSync(archive), null, LIMITS));
    assert.ok(plain.tar.equals(gzipped.tar));
  });

  test('`./Dockerfile` is accepted as `Dockerfile`, and the `./` root folder is left out', async () => {
    const context = contextOf(await build([{ name: './', type: 'directory' }, { name: './Dockerfile', content: DOCKERFILE }, { name: './src/a.js', content: 'a' }]));
    assert.equal(context.dockerfile.name, 'Dockerfile');
    assert.deepEqual(context.files.map((f) => f.name), ['Dockerfile', 'src/a.js']);
    assert.deepEqual(context.directories, []);
  });

  test('a project of 40 files (~64 KiB) round-trips; the same files in another order, at another time, give the same tar', async () => {
    const entries: FixtureEntry[] = [{ name: 'Dockerfile', content: DOCKERFILE }];
    for (let i = 0; i < 39; i++) entries.push({ name: `src/part-${i % 4}/file-${i}.js`, content: `// ${i}\n${'x'.repeat(1600 + i)}\n`, mode: i % 3 ? 0o644 : 0o755 });
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
    assert.deepEqual(refusalOf(await canonicalContext(Buffer.alloc(0), null, LIMITS)), { status: 400, message: 'Cannot locate specified Dockerfile: Dockerfile' });
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
      const refused = await refusal([{ name: 'Dockerfile', content: DOCKERFILE }, { name, content: 'x' }]);
      assert.equal(refused.status, 400);
      assert.match(refused.message, new RegExp(`^the build context holds .*, whose name ${reason}`));
      assert.ok(refused.message.includes(/[\u0000-\u001f\u007f\\]/.test(name) ? JSON.stringify(name) : name), refused.message);
    });
  }

  test('names over maxNameBytes or deeper than maxDepth are refused', async () => {
    const long = `${'a'.repeat(100)}/${'b'.repeat(100)}/${'c'.repeat(56)}`;
    assert.match((await refusal([{ name: long, content: 'x' }])).message, /whose name is longer than 255 bytes/);
    assert.match((await refusal([{ name: 'a/b/c/d/e/f/g/h/i', content: 'x' }])).message, /whose name is more than 8 folders deep/);
  });
});

describe('canonicalContext: entry types', () => {
  test('a symbolic link named Dockerfile is refused with its target', async () => {
    assert.deepEqual(await refusal([{ name: 'Dockerfile', type: 'symlink', linkname: '/etc/passwd' }]), {
      status: 400,
      message: 'the build context holds a symbolic link, Dockerfile -> /etc/passwd: the lab accepts regular files and folders only; copy the file itself',
    });
  });

  test('a hard link named Dockerfile is refused, even to a file that is there', async () => {
    const refused = await refusal([{ name: 'real', content: DOCKERFILE }, { name: 'Dockerfile', type: 'link', linkname: 'real' }]);
    assert.equal(refused.message, 'the build context holds a hard link, Dockerfile -> real: the lab accepts regular files and folders only; copy the file itself');
  });

  for (const [type, kind] of [['character-device', 'a character device'], ['block-device', 'a block device'], ['fifo', 'a FIFO (named pipe)'], ['contiguous-file', 'a contiguous file']] as const) {
    test(`${kind} is refused`, async () => {
      const refused = await refusal([{ name: 'Dockerfile', content: DOCKERFILE }, { name: 'dev/x', type, ...(type === 'contiguous-file' ? { content: 'x' } : {}) }]);
      assert.deepEqual(refused, { status: 400, message: `the build context holds ${kind}, dev/x: the lab accepts regular files and folders only` });
    });
  }
});

describe('canonicalContext: one entry per path', () => {
  test('a second Dockerfile is refused, whichever comes first', async () => {
    for (const [first, second] of [[DOCKERFILE, 'FROM evil'], ['FROM evil', DOCKERFILE]]) {
      const refused = await refusal([{ name: 'Dockerfile', content: first }, { name: './Dockerfile', content: second }]);
      assert.deepEqual(refused, { status: 400, message: 'the build context holds Dockerfile twice: the engine would keep only the last one; send each path once' });
    }
  });

  test('a file and a folder of one name are refused, in either order', async () => {
    for (const entries of [
      [{ name: 'app', content: 'x' }, { name: 'app', type: 'directory' }],
      [{ name: 'app', type: 'directory' }, { name: 'app', content: 'x' }],
    ] as FixtureEntry[][]) {
      assert.match((await refusal(entries)).message, /^the build context holds app twice/);
    }
  });

  test('a file that is also the folder of another entry is refused, in either order', async () => {
    const expected = 'the build context holds app both as a file and as the folder of app/x/server.js: send each path once';
    assert.equal((await refusal([{ name: 'app', content: 'x' }, { name: 'app/x/server.js', content: 'y' }])).message, expected);
    assert.equal((await refusal([{ name: 'app/x/server.js', content: 'y' }, { name: 'app', content: 'x' }])).message, expected);
  });

  test('past maxEntries, the context is too large', async () => {
    const entries = Array.from({ length: 65 }, (_, i) => ({ name: `f${i}`, content: 'x' }));
    assert.deepEqual(await refusal(entries), { status: 413, message: 'the build context holds more than 64 files and folders' });
  });
});

describe('canonicalContext: sizes and compressions', () => {
  const big = [{ name: 'Dockerfile', content: DOCKERFILE }, { name: 'data', content: Buffer.alloc(600 * 1024, 7) }];

  test('a body past maxCompressedBytes is refused (413), gzip or not', async () => {
    const archive = await tarOf(big);
    const limits = { ...LIMITS, maxCompressedBytes: 300 * 1024 };
    assert.deepEqual(refusalOf(await canonicalContext(archive, null, limits)), { status: 413, message: 'the build context is larger than 300 KiB' });
    const gzipped = zlib.gzipSync(await tarOf([{ name: 'Dockerfile', content: DOCKERFILE }, { name: 'noise', content: Buffer.from(Array.from({ length: 400 * 1024 }, (_, i) => (i * 7919) % 251)) }]), { level: 0 });
    assert.equal(refusalOf(await canonicalContext(gzipped, null, limits)).status, 413);
  });

  test('a tar past maxBytes is refused (413), plain or once decompressed', async () => {
    const limits = { ...LIMITS, maxBytes: 512 * 1024 };
    const archive = await tarOf(big);
    assert.deepEqual(refusalOf(await canonicalContext(archive, null, limits)), { status: 413, message: 'the build context is larger than 512 KiB' });
    // Whichever sees it first: the gunzip's count, or the tar reader at the header of the file that passes.
    const gzipped = refusalOf(await canonicalContext(zlib.gzipSync(archive), null, limits));
    assert.equal(gzipped.status, 413);
    assert.match(gzipped.message, /^the build context is larger than 512 KiB( once decompressed|: data alone is 600 KiB)$/);
  });

  test('a file whose header claims more than maxBytes is refused at its header, before its content', async () => {
    const archive = (await tarOf([{ name: 'huge', content: Buffer.alloc(5 * 1024 * 1024) }])).subarray(0, 512);
    assert.deepEqual(refusalOf(await canonicalContext(archive, null, LIMITS)), { status: 413, message: 'the build context is larger than 4 MiB: huge alone is 5 MiB' });
  });

  for (const [compression, magic] of [['bzip2', '425a6839314159265359'], ['xz', 'fd377a585a000004e6d6b446'], ['zstd', '28b52ffd0058']]) {
    test(`a ${compression} context is refused`, async () => {
      const body = Buffer.concat([Buffer.from(magic, 'hex'), Buffer.alloc(600, 1)]);
      assert.deepEqual(refusalOf(await canonicalContext(body, null, LIMITS)), { status: 400, message: 'the build context must be a tar archive, plain or gzip-compressed' });
    });
  }

  test('a truncated archive, damaged gzip or something else is not a valid tar (400)', async () => {
    const archive = await tarOf([{ name: 'Dockerfile', content: 'x'.repeat(2000) }]);
    const truncated = refusalOf(await canonicalContext(archive.subarray(0, 1024), null, LIMITS));
    assert.deepEqual(truncated, { status: 400, message: 'the build context is not a valid tar archive: it ends in the middle of an entry' });
    const damaged = refusalOf(await canonicalContext(zlib.gzipSync(archive).subarray(0, 60), null, LIMITS));
    assert.match(damaged.message, /^the build context is not a valid tar archive: its gzip compression is damaged/);
    const text = refusalOf(await canonicalContext(Buffer.from('FROM lab/node\n'.repeat(100)), null, LIMITS));
    assert.match(text.message, /^the build context is not a valid tar archive: a header checksum is wrong/);
  });

  test('a body that fails part-way (the CLI went away) is a refusal, not an error', async () => {
    async function* body() {
      yield (await tarOf([{ name: 'Dockerfile', content: DOCKERFILE }])).subarray(0, 512);
      throw new Error('aborted');
    }
    assert.deepEqual(refusalOf(await canonicalContext(body(), null, LIMITS)), { status: 400, message: 'the build context was not received in full (aborted)' });
  });

  test('a refusal ends the reading of the body', async () => {
    let released = false;
    let chunksRead = 0;
    const archive = await tarOf(big);
    async function* body() {
      try {
        for (let i = 0; i < archive.length; i += 1024) {
          chunksRead += 1;
          yield archive.subarray(i, i + 1024);
        }
      } finally {
        released = true;
      }
    }
    const limits = { ...LIMITS, maxCompressedBytes: 100 * 1024 };
    assert.equal(refusalOf(await canonicalContext(body(), null, limits)).status, 413);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(released, true);
    assert.equal(chunksRead, 101);
  });
});
