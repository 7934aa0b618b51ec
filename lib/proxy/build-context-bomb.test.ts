// A gzip bomb (1 MiB that expands to 1 GiB) sent as a build context once held the lab server 12-16 s
// and took its memory from 273 MB to 3.35 GB (`gunzipSync`). Now it is refused after about `maxBytes` of
// output, having read a small part of the bomb, with memory near where it was. Each bomb is made here, as a
// stream, so the test itself stays small; this file runs in its own process, so memory is its own.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { canonicalContext } from './build-context';
import { decompressedContext } from './build-context-input';
import { rawHeader } from './build-context-fixtures';

const MiB = 1024 * 1024;
const LIMITS = {
  maxCompressedBytes: 16 * MiB,
  maxBytes: 64 * MiB,
  maxEntries: 10_000,
  maxNameBytes: 255,
  maxDepth: 16,
};

/** 1 GiB gzip-compressed at level 9, written a MiB at a time: as 128 tar files of 8 MiB of zeros, or zeros alone. */
async function gzipBomb(shape: 'tar' | 'zeros'): Promise<Buffer> {
  const gzip = zlib.createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = once(gzip, 'end');
  const zeros = Buffer.alloc(MiB);
  const write = async (chunk: Buffer) => {
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  };
  for (let file = 0; file < 128; file++) {
    if (shape === 'tar') await write(rawHeader({ name: `zeros-${file}`, size: 8 * MiB }));
    for (let i = 0; i < 8; i++) await write(zeros);
  }
  gzip.end();
  await ended;
  return Buffer.concat(out);
}

let zerosBomb: Promise<Buffer> | null = null;
/** The bomb of zeros alone, made once for the tests that use it (each bomb takes a few seconds to make). */
const zerosOnce = () => (zerosBomb ??= gzipBomb('zeros'));

/** The bomb in 16 KiB chunks, as a request body arrives, counting what was taken. */
function body(bomb: Buffer): { chunks: AsyncIterable<Buffer>; taken: () => number } {
  let taken = 0;
  async function* chunks() {
    for (let offset = 0; offset < bomb.length; offset += 16 * 1024) {
      const chunk = bomb.subarray(offset, offset + 16 * 1024);
      taken += chunk.length;
      yield chunk;
    }
  }
  return { chunks: chunks(), taken: () => taken };
}

/** The longest wait between ticks of a 10 ms timer while `work` runs. */
async function longestTickGap<T>(work: () => Promise<T>): Promise<{ result: T; gapMs: number }> {
  let last = performance.now();
  let gapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    gapMs = Math.max(gapMs, performance.now() - last);
    return { result, gapMs };
  } finally {
    clearInterval(timer);
  }
}

describe('a gzip bomb as a build context', () => {
  test('is refused (413) after reading a small part of it, with memory to spare', async (t) => {
    const bomb = await gzipBomb('tar');
    assert.ok(bomb.length < 1.5 * MiB, `the bomb is ${bomb.length} bytes`);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const input = body(bomb);
    const { result, gapMs } = await longestTickGap(() => canonicalContext(input.chunks, null, LIMITS));
    const elapsedMs = performance.now() - started;
    const grownMB = (process.memoryUsage().rss - rssBefore) / 1e6;

    assert.ok('refusal' in result);
    assert.equal(result.refusal.status, 413);
    assert.match(result.refusal.message, /^the build context is larger than 64 MiB/);
    assert.ok(grownMB < 200, `memory grew by ${Math.round(grownMB)} MB`);
    // What held the server for 12-16 s was inflating all of it: about 64 MiB of output needs about 64 KiB
    // of this bomb, and most of it is never read. That bound is the guard; the times are only reported
    // (a 200 ms bound on the longest event-loop gap failed once at 260 ms on a busy shared machine).
    assert.ok(input.taken() < bomb.length / 4, `read ${input.taken()} of ${bomb.length} bytes`);
    t.diagnostic(`refused in ${Math.round(elapsedMs)} ms; longest event-loop gap ${Math.round(gapMs)} ms`);
  });

  test('is stopped by the gunzip bound itself after at most maxBytes, whatever the tar inside', async () => {
    const bomb = await zerosOnce();
    const input = body(bomb);
    let yielded = 0;
    const refusal = await (async () => {
      try {
        for await (const chunk of decompressedContext(input.chunks, LIMITS)) yielded += chunk.length;
      } catch (error) {
        return error as Error;
      }
      return null;
    })();
    assert.equal(refusal?.message, 'the build context is larger than 64 MiB once decompressed');
    assert.ok(yielded <= LIMITS.maxBytes, `yielded ${yielded} bytes`);
    assert.ok(yielded > LIMITS.maxBytes - 256 * 1024, `yielded ${yielded} bytes`);
    assert.ok(input.taken() < bomb.length / 4, `read ${input.taken()} of ${bomb.length} bytes`);
  });

  test('of zeros alone ends at its first two zero blocks, as the engine reads it', async () => {
    const input = body(await zerosOnce());
    const result = await canonicalContext(input.chunks, null, LIMITS);
    assert.deepEqual(result, { refusal: { status: 400, message: 'Cannot locate specified Dockerfile: Dockerfile' } });
    assert.ok(input.taken() <= 32 * 1024, `read ${input.taken()} bytes`);
  });
});
