// The names the lab accepts in a build context: plain relative paths, which the engine's extraction
// (pkg/archive Unpack: filepath.Clean, then join under the context folder) places exactly where they
// say. A name the engine would have to clean (`a//b`, `a/../b`, `/b`) is refused, not rewritten: the
// learner sees which entry, and what is checked is what is built.
import type { BuildContextLimits } from './build-context-types';

/** A name as accepted: the path without `./` or a trailing `/`, or the context's own root folder. */
export type PlainName = { name: string } | { root: true } | { problem: string };

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The plain relative path `raw` stands for (one leading `./` removed, and the trailing `/` of a folder),
 * or the problem that keeps it out. `./` and `.` as folders are the context's root, which Unpack skips.
 */
export function plainName(
  raw: string,
  isFolder: boolean,
  limits: Pick<BuildContextLimits, 'maxNameBytes' | 'maxDepth'>,
): PlainName {
  let name = raw.startsWith('./') ? raw.slice(2) : raw;
  if (isFolder && (name === '' || name === '.') && raw !== '') return { root: true };
  if (isFolder && name.endsWith('/')) name = name.slice(0, -1);
  const problem = nameProblem(name, isFolder, limits);
  return problem ? { problem } : { name };
}

function nameProblem(
  name: string,
  isFolder: boolean,
  limits: Pick<BuildContextLimits, 'maxNameBytes' | 'maxDepth'>,
): string | null {
  if (name === '') return 'is empty';
  if (name.startsWith('/')) return 'starts with / (names are relative to the context)';
  if (CONTROL.test(name)) return 'holds a control character';
  if (name.includes('\\')) return 'holds a backslash';
  if (!isFolder && name.endsWith('/')) return 'ends with / but is not a folder';
  const parts = name.split('/');
  if (parts.includes('')) return 'has an empty part (//)';
  if (parts.includes('..')) return 'has a .. part';
  if (parts.includes('.')) return 'has a . part';
  if (Buffer.byteLength(name, 'utf8') > limits.maxNameBytes) return `is longer than ${limits.maxNameBytes} bytes`;
  if (parts.length > limits.maxDepth) return `is more than ${limits.maxDepth} folders deep`;
  return null;
}

/** The folders `name` lies in, outermost first: `a/b/c` is in `a` and `a/b`. */
export function parentsOf(name: string): string[] {
  const parts = name.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
