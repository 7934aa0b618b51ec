// Ends what a build left running: the processes in its parent cgroup, killed directly, since after a
// deadline the engine may still be running a step that no longer answers to the API.
import fs from 'node:fs';
import path from 'node:path';
import { pidsDirOf } from './build-cgroup';

/**
 * What `read` finds, or nothing when the cgroup is gone: a step's container cgroup disappears as the
 * step ends, possibly between listing the build's cgroups and reading one of them.
 */
function unlessGone<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The processes of a cgroup directory; none when it is gone. */
export function cgroupProcs(dir: string): number[] {
  return unlessGone(() =>
    fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number),
  );
}

/** Kills every process left in a build's cgroup (after a deadline the engine may still be running a step). */
export function killCgroupProcesses(parent: string) {
  const root = pidsDirOf(parent);
  const children = unlessGone(() =>
    fs
      .readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => path.join(root, d.name)),
  );
  for (const dir of [root, ...children]) {
    for (const pid of cgroupProcs(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}
