// The model of a build context the lab sends the engine: only regular files and folders under plain
// relative names, with the limits that bound reading one. Shared by the reader, the packer and the checks.
import type { Refusal } from './refusal';

/** How much of a build context the lab reads before refusing it (413), and how deep and wide it may be. */
export interface BuildContextLimits {
  /** Bytes of the body as the CLI sends it (gzip-compressed or not). */
  maxCompressedBytes: number;
  /** Bytes of the tar once decompressed: headers, contents and padding. */
  maxBytes: number;
  /** Files and folders, each counted once. */
  maxEntries: number;
  /** UTF-8 bytes of one entry's name. */
  maxNameBytes: number;
  /** Parts of one entry's name (`a/b/c` is 3). */
  maxDepth: number;
}

/** A regular file of the context: a plain relative name, its bytes and its permission bits. */
export interface ContextFile {
  name: string;
  content: Buffer;
  /** Permission bits only (`mode & 0o777`): no setuid, setgid or sticky bit reaches the engine. */
  mode: number;
}

/** A refusal raised while reading a context; `canonicalContext` turns it into a result, never lets it escape. */
export class ContextRefusal extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/** Throws the refusal of a malformed or refused context (400). */
export function refuse(message: string): never {
  throw new ContextRefusal({ status: 400, message });
}

/** Throws the refusal of a context past a size limit (413). */
export function tooLarge(message: string): never {
  throw new ContextRefusal({ status: 413, message });
}

/** Throws the refusal of an archive the lab cannot read as a tar (400), with the detail. */
export function notTar(detail: string): never {
  return refuse(`the build context is not a valid tar archive: ${detail}`);
}

/** A name fit for a message: as is when printable, else JSON-quoted; long ones shortened. */
export function shown(name: string): string {
  const text = /[\u0000-\u001f\u007f-\u009f"\\]/.test(name) || name === '' ? JSON.stringify(name) : name;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A size for messages: MiB, KiB or bytes, whichever reads best. */
export function sizeText(bytes: number): string {
  if (bytes >= 1048576) return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}
