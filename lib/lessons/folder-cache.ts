// Keeps what a loader read from a folder while the folder is unchanged. The check is a fingerprint of
// the tree (the path, size and modification time of everything in it: a few hundred stat calls, a few
// ms for lessons/), made at most once a second, so an edit shows within a second; the loader itself
// (parsing and validating every file) costs tens of milliseconds. What it keeps is frozen: callers share it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const RECHECK_MS = 1000;

export function folderFingerprint(dir: string): string {
  const hash = createHash('sha1');
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      const stat = fs.statSync(full, { throwIfNoEntry: false });
      hash.update(`${full}\0${stat?.size}\0${stat?.mtimeMs}\0${stat?.isDirectory()}\n`);
      if (stat?.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** `read`, with its result kept per folder while the folder's fingerprint is the same. */
export function folderCache<T>(read: (dir: string) => T, now: () => number = Date.now): (dir: string) => T {
  const kept = new Map<string, { fingerprint: string; checkedAt: number; value: T }>();
  return (dir) => {
    const entry = kept.get(dir);
    if (entry && now() - entry.checkedAt < RECHECK_MS) return entry.value;
    const fingerprint = folderFingerprint(dir);
    if (entry?.fingerprint === fingerprint) {
      entry.checkedAt = now();
      return entry.value;
    }
    const value = deepFreeze(read(dir));
    if (kept.size >= 16) kept.clear();
    kept.set(dir, { fingerprint, checkedAt: now(), value });
    return value;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
