// A small tar reader that reads headers the way the engine's Go reader (archive/tar) does: ustar prefix
// fields, GNU long names and links (L, K), pax records (path, linkpath, size) applied to the one
// entry after them, `\0` entries ending in `/` read as folders, a zero block then the end. It is ours
// rather than tar-stream's extract, which reads some archives otherwise than Go (type '0' ending in `/`
// as a folder, pax global records merged into later pax headers, names decoded lossily) and hides the
// headers that change names: here every byte that can name an entry passes through one place, and what
// tar tools read differently (two long names for one entry, a global `path`, a folder that claims
// content, star or V7 headers) is refused instead of guessed. Names and types are checked by the caller.
import { checksumMatches } from '../sandbox/archive-magic';
import { notTar, refuse, shown, sizeText, tooLarge, type BuildContextLimits } from './build-context-types';

/** One entry of an archive with its long-name and pax headers applied; names as written, not yet checked. */
export interface TarEntry {
  name: string;
  /** The tar type flag: '0' file, '5' folder, '1' hard link, '2' symbolic link, '3', '4', '6', or another. */
  typeflag: string;
  mode: number;
  linkname: string;
  /** The bytes of a regular file ('0'); null for every other type. */
  content: Buffer | null;
}

const BLOCK = 512;
// Pax and GNU long headers are metadata: a few names and times. More than this is not a build context.
const MAX_META_BYTES = 64 * 1024;
// Types whose size field Go's reader ignores: no data follows their header (archive/tar isHeaderOnlyType).
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Every entry of the tar in `chunks`, read no further than its end-of-archive blocks. */
export async function* tarEntries(
  chunks: AsyncIterable<Buffer>,
  limits: Pick<BuildContextLimits, 'maxBytes' | 'maxNameBytes'>,
): AsyncGenerator<TarEntry> {
  const source = chunks[Symbol.asyncIterator]();
  try {
    yield* entries(new ByteQueue(source), limits);
  } finally {
    // Ends the reading (and the gunzip) behind it, whether the archive ended or the caller stopped.
    source.return?.().catch(() => undefined);
  }
}

async function* entries(
  input: ByteQueue,
  limits: Pick<BuildContextLimits, 'maxBytes' | 'maxNameBytes'>,
): AsyncGenerator<TarEntry> {
  let pax: Map<string, string> | null = null;
  let longName: string | null = null;
  let longLink: string | null = null;
  const pending = () => pax !== null || longName !== null || longLink !== null;
  const data = async (size: number, name: string) => {
    if (input.consumed + size > limits.maxBytes)
      tooLarge(
        `the build context is larger than ${sizeText(limits.maxBytes)}: ${shown(name)} alone is ${sizeText(size)}`,
      );
    const bytes = await input.read(size);
    await input.read((BLOCK - (size % BLOCK)) % BLOCK);
    return bytes;
  };
  for (;;) {
    const block = await input.block();
    if (block === null || isZero(block)) {
      if (pending()) notTar('it ends right after a pax or long-name header');
      // Go stops at a zero block followed by another one (or by the end); anything else is not a tar.
      const next = block === null ? null : await input.block();
      if (next !== null && !isZero(next)) notTar('a zero block is followed by more data');
      return;
    }
    const header = parseHeader(block);
    const meta = (what: string) => {
      if (header.size > MAX_META_BYTES)
        notTar(`its ${what} header holds ${sizeText(header.size)}; the lab reads at most ${sizeText(MAX_META_BYTES)}`);
      return data(header.size, `a ${what} header`);
    };
    switch (header.typeflag) {
      case 'x':
        if (pax) notTar('two pax headers precede one entry');
        pax = paxRecords(await meta('pax'));
        continue;
      case 'g': {
        // Go hands a global header to the engine as an entry, which it ignores; other tools apply it to
        // what follows, and Go lets it consume a pax header before it: both are refused as ambiguous.
        if (pending()) notTar('a pax global header follows a pax or long-name header');
        const global = paxRecords(await meta('pax global'));
        for (const key of ['path', 'linkpath', 'size'])
          if (global.has(key))
            refuse(`the build context has a pax global header that sets ${key}: tar tools disagree on what it means`);
        continue;
      }
      case 'L':
        if (longName !== null) notTar('two GNU long names precede one entry');
        if (header.size > limits.maxNameBytes + 1)
          refuse(
            `the build context holds a name longer than ${limits.maxNameBytes} bytes (a GNU long name of ${header.size} bytes)`,
          );
        longName = text(cString(await meta('GNU long name')), 'an entry name');
        continue;
      case 'K':
        if (longLink !== null) notTar('two GNU long link names precede one entry');
        longLink = text(cString(await meta('GNU long link')), 'a link target');
        continue;
    }
    const records: Map<string, string> = pax ?? new Map<string, string>();
    if (records.has('path') && longName !== null) notTar('an entry has both a pax path and a GNU long name');
    for (const key of records.keys())
      if (key.startsWith('GNU.sparse.'))
        refuse('the build context holds a sparse file: the lab accepts regular files and folders only');
    const name = records.get('path') ?? longName ?? header.name;
    const linkname = records.get('linkpath') ?? longLink ?? header.linkname;
    const size = records.has('size') ? decimal(records.get('size')!, 'pax size') : header.size;
    pax = longName = longLink = null;
    // Go reads a `\0` (old regular file) type ending in `/` as a folder, after the long names are applied.
    const typeflag = header.typeflag === '\0' ? (name.endsWith('/') ? '5' : '0') : header.typeflag;
    if (typeflag === '5' && size !== 0)
      refuse(`the build context holds a folder, ${shown(name)}, that claims ${sizeText(size)} of content`);
    const entry: TarEntry = { name, typeflag, mode: header.mode, linkname, content: null };
    if (typeflag === '0') entry.content = await data(size, name);
    yield entry;
    if (typeflag !== '0' && !HEADER_ONLY.has(typeflag)) await data(size, name); // skipped: the caller refuses these
  }
}

interface Header {
  name: string;
  typeflag: string;
  mode: number;
  size: number;
  linkname: string;
}

/** The fields of one header block, its checksum and format checked as Go checks them. */
function parseHeader(block: Buffer): Header {
  if (!checksumMatches(block))
    notTar('a header checksum is wrong (is the archive damaged, or compressed with something other than gzip?)');
  const magic = block.toString('latin1', 257, 265);
  let prefix = '';
  if (magic.startsWith('ustar\0')) {
    // A star header puts times where ustar has the end of its prefix: tools would read the name differently.
    if (block.toString('latin1', 508, 512) === 'tar\0')
      notTar('star headers are not accepted; use ustar, pax or GNU tar');
    prefix = text(cString(block.subarray(345, 500)), 'an entry name');
  } else if (magic !== 'ustar  \0') {
    notTar('a header is not ustar, pax or GNU (old V7 archives are not accepted)');
  }
  const base = text(cString(block.subarray(0, 100)), 'an entry name');
  return {
    name: prefix ? `${prefix}/${base}` : base,
    typeflag: String.fromCharCode(block[156]),
    mode: numeric(block.subarray(100, 108), 'mode'),
    size: numeric(block.subarray(124, 136), 'size'),
    linkname: text(cString(block.subarray(157, 257)), 'a link target'),
  };
}

/** A numeric field: octal text, or base-256 when the first bit is set (Go's parseNumeric). */
function numeric(field: Buffer, what: string): number {
  if (field[0] & 0x80) {
    if (field[0] & 0x40) notTar(`a header's ${what} is negative`);
    let value = field[0] & 0x3f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    if (!Number.isSafeInteger(value)) notTar(`a header's ${what} is too large`);
    return value;
  }
  const digits = field.toString('latin1').replace(/^[ \0]+|[ \0]+$/g, '');
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) notTar(`a header's ${what} is not a number`);
  return parseInt(digits, 8);
}

function decimal(value: string, what: string): number {
  if (!/^[0-9]{1,15}$/.test(value)) notTar(`its ${what} is not a number`);
  return Number(value);
}

/** The records of a pax header (`<length> <key>=<value>\n` each), strictly as Go's parsePAXRecord reads them. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const length = space > 0 ? decimal(rest.toString('latin1', 0, space), 'pax record length') : -1;
    if (length < 5 || length > rest.length || rest[length - 1] !== 0x0a) notTar('a pax record is malformed');
    const record = text(rest.subarray(space + 1, length - 1), 'a pax record');
    const equals = record.indexOf('=');
    if (equals < 1) notTar('a pax record has no key');
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if ((key === 'path' || key === 'linkpath') && value.includes('\0')) notTar(`a pax ${key} holds a NUL byte`);
    records.set(key, value); // a later record wins, as in Go
    rest = rest.subarray(length);
  }
  return records;
}

const cString = (bytes: Buffer) => {
  const end = bytes.indexOf(0);
  return end < 0 ? bytes : bytes.subarray(0, end);
};

/** UTF-8 text, or a refusal: a name that is not text would be renamed by any decoding of ours. */
function text(bytes: Buffer, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return refuse(
      `the build context holds ${what} that is not UTF-8 text: ${JSON.stringify(bytes.toString('latin1')).slice(0, 200)}`,
    );
  }
}

const isZero = (block: Buffer) => block.every((byte) => byte === 0);

/** Exact reads over a stream of chunks, counting what was consumed. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  consumed = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** The next block; null when the input ended exactly here. */
  async block(): Promise<Buffer | null> {
    await this.fill(BLOCK);
    return this.buffered === 0 ? null : this.read(BLOCK);
  }

  /** Exactly `n` bytes, or a refusal when the input ends before them. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    if (this.buffered < n) notTar('it ends in the middle of an entry');
    this.buffered -= n;
    this.consumed += n;
    if (n === 0) return Buffer.alloc(0);
    if (this.chunks[0].length >= n) return this.take(n);
    const out = Buffer.allocUnsafe(n);
    for (let filled = 0; filled < n;) filled += this.take(n - filled).copy(out, filled);
    return out;
  }

  private async fill(n: number): Promise<void> {
    while (this.buffered < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else if (next.value.length) {
        this.chunks.push(next.value);
        this.buffered += next.value.length;
      }
    }
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (first.length <= n) return this.chunks.shift()!;
    this.chunks[0] = first.subarray(n);
    return first.subarray(0, n);
  }
}
