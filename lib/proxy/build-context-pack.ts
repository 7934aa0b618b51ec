// The tar the lab sends the engine, written from the model alone: ustar headers (a pax header holding only
// `path` when a name does not fit them), owner 0:0, permission bits, a fixed date, and nothing else: no
// uname, xattrs or links. Entries are sorted by name, so one set of files always gives the same bytes.
// The classic builder's cache key of a COPY is the tarsum (v1) of each file's header and content, which
// leaves the mtime out (pkg/tarsum/versioning.go v1TarHeaderSelect) but counts mode, uid and gid: those
// are normalized here, so identical files give identical keys. Written here rather than with tar-stream's
// pack, which turns a mode of 0 into 0644 and fills a missing mtime with the current time.
import { plainName } from './build-context-names';
import type { ContextFile } from './build-context-types';

const BLOCK = 512;
// The largest value of an 11-digit octal field: 8 GiB - 1 bytes.
const MAX_OCTAL_11 = 8 ** 11 - 1;
// A folder named as an entry gets the mode the engine gives one it creates for a path (Unpack: 0755),
// so a folder sent and a folder implied are the same folder.
const FOLDER_MODE = 0o755;
const ANY_LENGTH = { maxNameBytes: Infinity, maxDepth: Infinity };

/**
 * The tar of exactly these files and folders (named without a trailing `/`), dated 1970 as the lab's
 * other build contexts are. Names must be plain and distinct: anything else is a bug of the caller's.
 */
export function packCanonical(files: readonly ContextFile[], directories: readonly string[]): Buffer {
  const entries = [
    ...directories.map((name) => ({
      name,
      mode: FOLDER_MODE,
      typeflag: '5',
      tarName: Buffer.from(`${name}/`, 'utf8'),
      content: null,
    })),
    ...files.map((file) => ({ ...file, typeflag: '0', tarName: Buffer.from(file.name, 'utf8') })),
  ];
  const seen = new Set<string>();
  for (const entry of entries) {
    const plain = plainName(entry.name, entry.typeflag === '5', ANY_LENGTH);
    if (!('name' in plain) || plain.name !== entry.name || seen.has(entry.name))
      throw new Error(`packCanonical: ${JSON.stringify(entry.name)} is not a plain, distinct name`);
    if (entry.content && entry.content.length > MAX_OCTAL_11)
      throw new Error(`packCanonical: ${entry.name} is too large for a ustar header`);
    seen.add(entry.name);
  }
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8')));

  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const fields = { typeflag: entry.typeflag, mode: entry.mode & 0o777, size: entry.content?.length ?? 0 };
    const split = splitUstar(entry.tarName);
    if (split) {
      blocks.push(header({ ...fields, ...split }));
    } else {
      const record = paxRecord('path', entry.tarName);
      blocks.push(
        header({
          typeflag: 'x',
          mode: 0o644,
          size: record.length,
          name: Buffer.from('././@PaxHeader'),
          prefix: Buffer.alloc(0),
        }),
      );
      blocks.push(padded(record));
      blocks.push(header({ ...fields, name: entry.tarName.subarray(0, 100), prefix: Buffer.alloc(0) }));
    }
    if (entry.content) blocks.push(padded(entry.content));
  }
  blocks.push(Buffer.alloc(2 * BLOCK)); // end of archive
  return Buffer.concat(blocks);
}

/** The name as ustar's name (100 bytes) and prefix (155 bytes) fields, split at a `/`; null when it does not fit. */
function splitUstar(name: Buffer): { name: Buffer; prefix: Buffer } | null {
  if (name.length <= 100) return { name, prefix: Buffer.alloc(0) };
  // The shortest prefix that leaves at most 100 bytes. A `/` byte is never part of a longer UTF-8
  // character, so the split cannot cut one (Go's reader joins prefix and name as bytes).
  const slash = name.indexOf(0x2f, name.length - 101);
  if (slash <= 0 || slash > 155 || slash === name.length - 1) return null;
  return { name: name.subarray(slash + 1), prefix: name.subarray(0, slash) };
}

/** One pax record: `<length> <key>=<value>\n`, the length counting its own digits. */
function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length += 1;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

function padded(content: Buffer): Buffer {
  const rest = content.length % BLOCK;
  return rest ? Buffer.concat([content, Buffer.alloc(BLOCK - rest)]) : content;
}

const octal = (value: number, digits: number) => `${value.toString(8).padStart(digits, '0')}\0`;

interface HeaderFields {
  name: Buffer;
  prefix: Buffer;
  typeflag: string;
  mode: number;
  size: number;
}

function header(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  fields.name.copy(block, 0);
  block.write(octal(fields.mode, 7), 100, 'latin1');
  block.write(octal(0, 7), 108, 'latin1'); // uid
  block.write(octal(0, 7), 116, 'latin1'); // gid
  block.write(octal(fields.size, 11), 124, 'latin1');
  block.write(octal(0, 11), 136, 'latin1'); // mtime: 1970, whatever the learner's clock said
  block.write(fields.typeflag, 156, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  block.write(octal(0, 7), 329, 'latin1'); // devmajor
  block.write(octal(0, 7), 337, 'latin1'); // devminor
  fields.prefix.copy(block, 345);
  block.write('        ', 148, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}
