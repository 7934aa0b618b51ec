// The build context a learner's `docker build` sends, turned into the one the engine gets: construct,
// never forward. The body is read with bounds (build-context-input.ts), its tar read the way the engine's
// Go reader reads it (build-context-tar-reader.ts), and only regular files and folders under plain
// relative names, each once, are kept; the engine then gets a fresh tar of exactly those
// (build-context-pack.ts) and the Dockerfile it will build, chosen as the engine chooses it
// (build-context-dockerfile.ts). Whatever the learner sent, the answer is a result: a context or a refusal.
import { chooseDockerfile, type ChosenDockerfile } from './build-context-dockerfile';
import { decompressedContext } from './build-context-input';
import { parentsOf, plainName } from './build-context-names';
import { packCanonical } from './build-context-pack';
import { tarEntries, type TarEntry } from './build-context-tar-reader';
import {
  ContextRefusal,
  refuse,
  shown,
  tooLarge,
  type BuildContextLimits,
  type ContextFile,
} from './build-context-types';
import type { Refusal } from './refusal';

export { MAX_DOCKERFILE_BYTES, type ChosenDockerfile } from './build-context-dockerfile';
export { packCanonical } from './build-context-pack';
export type { BuildContextLimits, ContextFile } from './build-context-types';

/** What the engine will build: the accepted files and folders, the Dockerfile it will read, and their tar. */
export interface CanonicalContext {
  /** Regular files, sorted by name; the Dockerfile and `.dockerignore` among them, as sent. */
  files: ContextFile[];
  /** Folders sent as entries, sorted, without a trailing `/` (folders only implied by a path are created by the engine). */
  directories: string[];
  dockerfile: ChosenDockerfile;
  /** The tar of `files` and `directories` (packCanonical), to send in place of the learner's body. */
  tar: Buffer;
}

/** The tar types refused, by how a message names them. */
const REFUSED_TYPES: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO (named pipe)',
  '7': 'a contiguous file', // the engine's extraction refuses this type too (unhandled tar header type)
};

/**
 * The context the engine will build from `body` (a tar, plain or gzip-compressed), with `dockerfileParam`
 * the build's `dockerfile` query parameter; or the refusal to answer the CLI with (400 malformed or not
 * allowed, 413 too large). Throws only on a bug of the lab's.
 */
export async function canonicalContext(
  body: AsyncIterable<Buffer> | Buffer,
  dockerfileParam: string | null,
  limits: BuildContextLimits,
): Promise<CanonicalContext | { refusal: Refusal }> {
  try {
    const accepted = new AcceptedEntries(limits);
    for await (const entry of tarEntries(decompressedContext(body, limits), limits)) accepted.add(entry);
    const files = [...accepted.files.values()].sort(byName);
    const directories = [...accepted.folders].sort(byName);
    const dockerfile = chooseDockerfile(dockerfileParam, accepted.files, accepted.allFolders(), limits);
    return { files, directories, dockerfile, tar: packCanonical(files, directories) };
  } catch (error) {
    if (error instanceof ContextRefusal) return { refusal: error.refusal };
    throw error;
  }
}

export { isArchive } from '../sandbox/archive-magic';

const nameOf = (entry: string | { name: string }) => (typeof entry === 'string' ? entry : entry.name);
const byName = (a: string | { name: string }, b: string | { name: string }) =>
  Buffer.compare(Buffer.from(nameOf(a)), Buffer.from(nameOf(b)));

/** The entries accepted so far, refusing one that is not allowed or that would collide with another. */
class AcceptedEntries {
  readonly files = new Map<string, ContextFile>();
  readonly folders = new Set<string>();
  /** Every folder some entry lies in, with that entry (for the message of a file of the same name). */
  private readonly parents = new Map<string, string>();
  private count = 0;

  constructor(private readonly limits: BuildContextLimits) {}

  add(entry: TarEntry): void {
    const isFolder = entry.typeflag === '5';
    if (!isFolder && entry.typeflag !== '0') {
      const kind = REFUSED_TYPES[entry.typeflag] ?? `an entry of tar type ${JSON.stringify(entry.typeflag)}`;
      const link = entry.typeflag === '1' || entry.typeflag === '2';
      refuse(
        `the build context holds ${kind}, ${shown(entry.name)}${link ? ` -> ${shown(entry.linkname)}` : ''}: the lab accepts regular files and folders only${link ? '; copy the file itself' : ''}`,
      );
    }
    const plain = plainName(entry.name, isFolder, this.limits);
    if ('root' in plain) return; // the context folder itself, which the engine's extraction skips too
    if ('problem' in plain)
      refuse(
        `the build context holds ${shown(entry.name)}, whose name ${plain.problem}: the lab accepts plain relative paths only`,
      );
    const { name } = plain;
    this.count += 1;
    if (this.count > this.limits.maxEntries)
      tooLarge(`the build context holds more than ${this.limits.maxEntries} files and folders`);
    // The engine's extraction keeps the last of two entries of one name; the lab must check what is built.
    if (this.files.has(name) || this.folders.has(name))
      refuse(
        `the build context holds ${shown(name)} twice: the engine would keep only the last one; send each path once`,
      );
    if (!isFolder && this.parents.has(name)) refuse(conflict(name, this.parents.get(name)!));
    for (const parent of parentsOf(name)) {
      if (this.files.has(parent)) refuse(conflict(parent, name));
      if (!this.parents.has(parent)) this.parents.set(parent, name);
    }
    if (isFolder) this.folders.add(name);
    else this.files.set(name, { name, mode: entry.mode & 0o777, content: entry.content! });
  }

  /** Every folder of the context: those sent and those a path implies. */
  allFolders(): Set<string> {
    return new Set([...this.folders, ...this.parents.keys()]);
  }
}

const conflict = (file: string, inside: string) =>
  `the build context holds ${shown(file)} both as a file and as the folder of ${shown(inside)}: send each path once`;
