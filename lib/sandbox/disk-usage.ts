// What a container has written to its own filesystem: the bytes and files of its writable layer.
// Overlay on ext4 cannot cap a container's layer (`--storage-opt size` needs XFS project quotas), so
// the lab measures it while the container runs and stops the container past the limit. The walk stops
// as soon as the limit is passed, so its cost is bounded by the limit, not by what was written.
import fs from 'node:fs';
import path from 'node:path';

/** Bytes (allocated blocks) and files (every entry) of a writable layer. */
export interface DiskUsage {
  bytes: number;
  /** Undefined when only the engine's byte count was available. */
  files?: number;
}

/** Where a walk may stop: once either is exceeded the answer is "over" whatever else is there. */
export interface DiskLimits {
  diskBytes: number;
  diskFiles: number;
}

/** Entries visited between two yields to the event loop. */
const BATCH = 2000;

/**
 * Walks a directory tree summing allocated bytes and counting entries; stops early once past the
 * limits. Hard links count once per name (an upper bound), symbolic links are not followed.
 */
export async function measureTree(root: string, limits: DiskLimits): Promise<DiskUsage> {
  let bytes = 0;
  let files = 0;
  let visited = 0;
  const pending = [root];
  while (pending.length) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // removed while walking
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      files += 1;
      try {
        bytes += fs.lstatSync(full).blocks * 512;
      } catch {
        /* removed while walking */
      }
      if (entry.isDirectory()) pending.push(full);
      if (bytes > limits.diskBytes || files > limits.diskFiles) return { bytes, files };
      if (++visited % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { bytes, files };
}

/** True when the usage is past either limit. */
export function overDiskLimits(usage: DiskUsage, limits: DiskLimits): boolean {
  return usage.bytes > limits.diskBytes || (usage.files !== undefined && usage.files > limits.diskFiles);
}
