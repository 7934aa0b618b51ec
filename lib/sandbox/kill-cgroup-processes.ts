// Ends what a build left running: the processes in its parent cgroup, killed directly, since after a
// deadline the engine may still be running a step that no longer answers to the API.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The processes of a cgroup directory; none when it is gone. A step's container cgroup disappears as
 * the step ends, possibly between listing the build's cgroups and reading this one.
 */
export function cgroupProcs(dir: string): number[] {
  try {
    return fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function subdirectories(root: string): string[] {
  try {
    return fs
      .readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => path.join(root, d.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Kills every process left in a build's cgroup (after a deadline the engine may still be running a step). */
export function killCgroupProcesses(parent: string) {
  const roots = fs.existsSync('/sys/fs/cgroup/cgroup.controllers')
    ? [path.join('/sys/fs/cgroup', parent)]
    : [path.join('/sys/fs/cgroup/pids', parent)];
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    for (const dir of [root, ...subdirectories(root)]) {
      for (const pid of cgroupProcs(dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  }
}
