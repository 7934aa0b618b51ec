// The build context the engine gets, rebuilt from what the lab accepted: its sizes, compressed and not,
// checked as it is read; a damaged or truncated archive, or a body that fails part-way, is refused, and a
// refusal ends the reading. Archives written with tar-stream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { canonicalContext } from './build-context';
import { DOCKERFILE, LIMITS, refusalOf, tarOf } from './build-context-fixtures';

describe('canonicalContext: sizes and compressions', () => {
  const big = [
    { name: 'Dockerfile', content: DOCKERFILE },
    { name: 'data', content: Buffer.alloc(600 * 1024, 7) },
  ];

  test('a body past maxCompressedBytes is refused (413), gzip or not', async () => {
    const archive = await tarOf(big);
    const limits = { ...LIMITS, maxCompressedBytes: 300 * 1024 };
    assert.deepEqual(refusalOf(await canonicalContext(archive, null, limits)), {
      status: 413,
      message: 'the build context is larger than 300 KiB',
    });
    const gzipped = zlib.gzipSync(
      await tarOf([
        { name: 'Dockerfile', content: DOCKERFILE },
        { name: 'noise', content: Buffer.from(Array.from({ length: 400 * 1024 }, (_, i) => (i * 7919) % 251)) },
      ]),
      { level: 0 },
    );
    assert.equal(refusalOf(await canonicalContext(gzipped, null, limits)).status, 413);
  });

  test('a tar past maxBytes is refused (413), plain or once decompressed', async () => {
    const limits = { ...LIMITS, maxBytes: 512 * 1024 };
    const archive = await tarOf(big);
    assert.deepEqual(refusalOf(await canonicalContext(archive, null, limits)), {
      status: 413,
      message: 'the build context is larger than 512 KiB',
    });
    // Whichever sees it first: the gunzip's count, or the tar reader at the header of the file that passes.
    const gzipped = refusalOf(await canonicalContext(zlib.gzipSync(archive), null, limits));
    assert.equal(gzipped.status, 413);
    assert.match(
      gzipped.message,
      /^the build context is larger than 512 KiB( once decompressed|: data alone is 600 KiB)$/,
    );
  });

  test('a file whose header claims more than maxBytes is refused at its header, before its content', async () => {
    const archive = (await tarOf([{ name: 'huge', content: Buffer.alloc(5 * 1024 * 1024) }])).subarray(0, 512);
    assert.deepEqual(refusalOf(await canonicalContext(archive, null, LIMITS)), {
      status: 413,
      message: 'the build context is larger than 4 MiB: huge alone is 5 MiB',
    });
  });

  for (const [compression, magic] of [
    ['bzip2', '425a6839314159265359'],
    ['xz', 'fd377a585a000004e6d6b446'],
    ['zstd', '28b52ffd0058'],
  ]) {
    test(`a ${compression} context is refused`, async () => {
      const body = Buffer.concat([Buffer.from(magic, 'hex'), Buffer.alloc(600, 1)]);
      assert.deepEqual(refusalOf(await canonicalContext(body, null, LIMITS)), {
        status: 400,
        message: 'the build context must be a tar archive, plain or gzip-compressed',
      });
    });
  }

  test('a truncated archive, damaged gzip or something else is not a valid tar (400)', async () => {
    const archive = await tarOf([{ name: 'Dockerfile', content: 'x'.repeat(2000) }]);
    const truncated = refusalOf(await canonicalContext(archive.subarray(0, 1024), null, LIMITS));
    assert.deepEqual(truncated, {
      status: 400,
      message: 'the build context is not a valid tar archive: it ends in the middle of an entry',
    });
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
    assert.deepEqual(refusalOf(await canonicalContext(body(), null, LIMITS)), {
      status: 400,
      message: 'the build context was not received in full (aborted)',
    });
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
