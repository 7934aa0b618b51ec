// The body of a build, read with bounds before anything is parsed: the compressed bytes are counted as
// they arrive, gzip is undone by streaming zlib (on the thread pool, never `gunzipSync`, which held the
// lab server for 12-16 s on a 1 MiB gzip bomb), and reading stops at the first chunk past a limit.
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { compressionOf } from '../sandbox/archive-magic';
import { ContextRefusal, notTar, refuse, sizeText, tooLarge, type BuildContextLimits } from './build-context-types';

export { compressionOf, type Compression } from '../sandbox/archive-magic';

/** Bytes enough to tell every compression by its magic. */
const MAGIC_BYTES = 6;

// zlib hands out this much at a time: a bomb is stopped at most one such chunk past the limit.
const GUNZIP_CHUNK_BYTES = 64 * 1024;

/**
 * The tar bytes of a build body: gunzipped if it is gzip, refused if it is another compression, and
 * refused (413) as soon as the body passes `maxCompressedBytes` or its tar passes `maxBytes`. When it
 * stops early, the rest of the body is left unread: the caller answers and closes the connection.
 */
export async function* decompressedContext(
  body: AsyncIterable<Buffer> | Buffer,
  limits: Pick<BuildContextLimits, 'maxCompressedBytes' | 'maxBytes'>,
): AsyncGenerator<Buffer> {
  const chunks = bounded(
    received(Buffer.isBuffer(body) ? [body] : body),
    limits.maxCompressedBytes,
    () => `the build context is larger than ${sizeText(limits.maxCompressedBytes)}`,
  );
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    const { head, replay } = await peek(iterator, MAGIC_BYTES);
    const compression = compressionOf(head);
    if (compression === 'gzip') {
      yield* gunzipped(replay, limits.maxBytes);
    } else if (compression) {
      refuse('the build context must be a tar archive, plain or gzip-compressed');
    } else {
      yield* bounded(replay, limits.maxBytes, () => `the build context is larger than ${sizeText(limits.maxBytes)}`);
    }
  } finally {
    // Not awaited: a stalled body would hold the answer; ending the generator lets the body go.
    iterator.return(undefined).catch(() => undefined);
  }
}

/** The chunks of the body; failing to receive it (the CLI went away) is a refusal, not a fault of the lab's. */
async function* received(body: Iterable<Buffer> | AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    refuse(`the build context was not received in full (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The chunks of `source`, refused (413) with `message` at the first one that takes the total past `max`. */
async function* bounded(
  source: Iterable<Buffer> | AsyncIterable<Buffer>,
  max: number,
  message: () => string,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) tooLarge(message());
    yield chunk;
  }
}

/** The first `bytes` (or fewer, if the body is shorter) and every chunk again, those first ones included. */
async function peek(
  iterator: AsyncIterator<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; replay: AsyncIterable<Buffer> }> {
  const seen: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    seen.push(next.value);
    length += next.value.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* seen;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: Buffer.concat(seen), replay: replay() };
}

/** The gunzipped bytes of `compressed`; zlib is stopped as soon as its output passes `maxBytes`. */
async function* gunzipped(compressed: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  const gunzip = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  // Byte mode: the body is read ahead by a few KiB, not by 16 chunks of any size.
  const source = Readable.from(compressed, { objectMode: false });
  // A refusal raised while reading the body (too large) destroys gunzip with it and surfaces below.
  pipeline(source, gunzip, () => undefined);
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) tooLarge(`the build context is larger than ${sizeText(maxBytes)} once decompressed`);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ContextRefusal) throw error;
    notTar(`its gzip compression is damaged (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    gunzip.destroy();
    source.destroy();
  }
}
