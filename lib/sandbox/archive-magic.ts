// Whether a file is an archive, as the engine's ADD decides whether to unpack it rather than copy it:
// a compression the engine undoes, or a tar header (Go's tar reader also takes old V7 headers without
// the `ustar` magic, so a valid header checksum counts as much as the magic). Errs on the side of "archive".

/** A compression the engine (or a newer one) would undo before reading a tar. */
export type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd';

// Engine 20.10.24 (pkg/archive/archive.go DetectCompression) knows gzip, bzip2 and xz; zstd came later.
const MAGIC: [Compression, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

const BLOCK = 512;

/** The compression whose magic `head` starts with, or null. */
export function compressionOf(head: Buffer): Compression | null {
  for (const [compression, magic] of MAGIC) {
    if (head.length >= magic.length && magic.every((byte, i) => head[i] === byte)) return compression;
  }
  return null;
}

const isZero = (block: Buffer) => block.every((byte) => byte === 0);

/** Whether `block` is a tar header by its checksum, counted unsigned or signed as Go accepts either. */
export function checksumMatches(block: Buffer): boolean {
  if (block.length < BLOCK || isZero(block.subarray(0, BLOCK))) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += byte;
    signed += byte < 128 ? byte : byte - 256;
  }
  // As Go's parseOctal reads it: spaces and NULs trimmed from both ends, then cut at the first NUL
  // (a field of "123\0 7" is 123 to Go); an empty field is 0; anything but octal digits is no header.
  const trimmed = block.toString('latin1', 148, 156).replace(/^[ \0]+|[ \0]+$/g, '');
  const digits = trimmed.split('\0')[0];
  const stored = trimmed === '' ? 0 : /^[0-7]+$/.test(digits) ? parseInt(digits, 8) : -1;
  return stored === unsigned || stored === signed;
}

/** True when ADD would unpack `content` (builder/dockerfile/copy.go isArchivePath). */
export function isArchive(content: Buffer): boolean {
  if (compressionOf(content)) return true;
  if (content.length >= 262 && content.toString('latin1', 257, 262) === 'ustar') return true;
  return checksumMatches(content);
}
