// Archives for the build-context tests: written with tar-stream (another implementation than ours, so a
// round trip checks both ways), or byte by byte for what tar-stream cannot write (pax paths over an
// innocent name, GNU long names, global headers, broken checksums).
import assert from 'node:assert/strict';
import tar from 'tar-stream';
import { canonicalContext, type CanonicalContext } from './build-context';
import type { BuildContextLimits } from './build-context-types';
import type { Refusal } from './refusal';

/** Small limits, so that each can be passed in a test. */
export const LIMITS: BuildContextLimits = {
  maxCompressedBytes: 1024 * 1024,
  maxBytes: 4 * 1024 * 1024,
  maxEntries: 64,
  maxNameBytes: 255,
  maxDepth: 8,
};

/** One entry for tar-stream: a file unless `type` says otherwise. */
export interface FixtureEntry {
  name: string;
  content?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo' | 'contiguous-file';
  mode?: number;
  linkname?: string;
  mtime?: Date;
}

/** The tar tar-stream writes for `entries`, in this order. */
export async function tarOf(entries: FixtureEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { content, ...header } of entries) {
    if (content === undefined) pack.entry({ mtime: new Date(1_700_000_000_000), ...header });
    else pack.entry({ mtime: new Date(1_700_000_000_000), ...header }, Buffer.from(content));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every entry of `archive` as tar-stream reads it, with its content. */
export async function entriesOf(archive: Buffer): Promise<Array<tar.Header & { content: Buffer }>> {
  const extract = tar.extract();
  const entries: Array<tar.Header & { content: Buffer }> = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
      stream.on('end', () => {
        entries.push({ ...header, content: Buffer.concat(chunks) });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(archive);
  await done;
  return entries;
}

/** The fields of a hand-written header; `magic` picks the format (ustar by default). */
export interface RawHeader {
  name: string;
  typeflag?: string;
  size?: number;
  mode?: number;
  linkname?: string;
  prefix?: string | Buffer;
  magic?: 'ustar' | 'gnu' | 'v7' | 'star';
  nameBytes?: Buffer;
}

/** A 512-byte header with a correct checksum (unless `checksum` is given). */
export function rawHeader(fields: RawHeader, checksum?: number): Buffer {
  const block = Buffer.alloc(512);
  (fields.nameBytes ?? Buffer.from(fields.name)).copy(block, 0, 0, 100);
  block.write(`${(fields.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${(fields.size ?? 0).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('14540000000\0', 136, 'latin1');
  block.write(fields.typeflag ?? '0', 156, 'latin1');
  if (fields.linkname) block.write(fields.linkname, 157);
  const magic = fields.magic ?? 'ustar';
  if (magic === 'ustar' || magic === 'star') block.write('ustar\u000000', 257, 'latin1');
  if (magic === 'gnu') block.write('ustar  \0', 257, 'latin1');
  if (magic === 'star') block.write('tar\0', 508, 'latin1');
  if (fields.prefix) Buffer.from(fields.prefix).copy(block, 345);
  block.write('        ', 148, 'latin1');
  const sum = checksum ?? block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

const padded = (content: Buffer) => Buffer.concat([content, Buffer.alloc((512 - (content.length % 512)) % 512)]);

/** A header and its padded content; the size is the content's unless given. */
export function rawEntry(fields: RawHeader, content: string | Buffer = ''): Buffer {
  const bytes = Buffer.from(content);
  return Buffer.concat([rawHeader({ size: bytes.length, ...fields }), padded(bytes)]);
}

/** A pax header ('x', or 'g' for a global one) holding these records. */
export function paxEntry(records: Record<string, string>, typeflag = 'x'): Buffer {
  const data = Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length += 1;
    return `${length}${body}`;
  });
  return rawEntry({ name: 'PaxHeaders/x', typeflag }, data.join(''));
}

/** A GNU long name ('L') or long link target ('K') header for `name`. */
export function gnuLongEntry(name: string, typeflag: 'L' | 'K' = 'L'): Buffer {
  return rawEntry({ name: '././@LongLink', typeflag, magic: 'gnu' }, `${name}\0`);
}

/** The parts, then the two zero blocks that end an archive. */
export const rawArchive = (...parts: Buffer[]) => Buffer.concat([...parts, Buffer.alloc(1024)]);

/** The refusal of a result that must be one. */
export function refusalOf(result: CanonicalContext | { refusal: Refusal }): Refusal {
  assert.ok(
    'refusal' in result,
    `expected a refusal, got a context of ${'files' in result ? result.files.map((f) => f.name).join(', ') : '?'}`,
  );
  return result.refusal;
}

/** The context of a result that must be one. */
export function contextOf(result: CanonicalContext | { refusal: Refusal }): CanonicalContext {
  assert.ok(!('refusal' in result), `expected a context, got ${JSON.stringify('refusal' in result && result.refusal)}`);
  return result;
}

/** A Dockerfile that copies the whole context. */
export const DOCKERFILE = 'FROM lab/node\nCOPY . /app\n';

/** What the lab makes of a tar of `entries` written by tar-stream, given the Dockerfile parameter. */
export const build = async (entries: FixtureEntry[], param: string | null = null, limits = LIMITS) =>
  canonicalContext(await tarOf(entries), param, limits);

/** The refusal of a tar of `entries` written by tar-stream, which must be refused. */
export const refusal = async (entries: FixtureEntry[], param: string | null = null, limits = LIMITS) =>
  refusalOf(await build(entries, param, limits));
