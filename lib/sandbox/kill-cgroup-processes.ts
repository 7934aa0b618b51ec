// Ends what a build left running: the processes in its parent cgroup, killed directly, since after a
// deadline the engine may still be running a step that no longer answers to the API.
import fs from 'node:fs';
import path from 'node:path';

/** Kills every process left in a build's cgroup (after a deadline the engine may still be running a step). */
export function killCgroupProcesses(parent: string) {
  const roots = fs.existsSync('/sys/fs/cgroup/cgroup.controllers')
    ? [path.join('/sys/fs/cgroup', parent)]
    : [path.join('/sys/fs/cgroup/pids', parent)];
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    const dirs = [
      root,
      ...fs
        .readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => path.join(root, d.name)),
    ];
    for (const dir of dirs) {
      const procs = fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
      for (const pid of procs) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  }
}
