// A parent cgroup per learner for the containers they start from the terminal. Each container has the
// sandbox limits of its own; this parent bounds their sum, so eight containers of 256 MiB cannot take
// 2 GiB of the machine between them, nor eight times the processes and CPU. The engine places the
// learner's containers under it (`CgroupParent`), and the kernel enforces what is written here.
import fs from 'node:fs';
import path from 'node:path';
import { cgroupParentOf, dirsOf, isV2, listCgroups, removeCgroup } from './build-cgroup';
import type { LearnerLimits } from './limits';

const ROOT = '/sys/fs/cgroup';

/** Prefix of learner cgroups (the reaper finds leftovers by it). */
export const LEARNER_CGROUP_PREFIX = 'lab-learner-';

/** The learner's cgroup name, from their scope key. */
export const learnerCgroupName = (key: string) => `${LEARNER_CGROUP_PREFIX}${key}`;

/** The learner's cgroup as the engine's `CgroupParent`. */
export const learnerCgroupParent = (key: string) => cgroupParentOf(learnerCgroupName(key));

/** The scope key of a learner cgroup's name. */
export const keyOfLearnerCgroup = (name: string) => name.slice(LEARNER_CGROUP_PREFIX.length);

function writeIfPresent(file: string, value: string) {
  if (fs.existsSync(file)) fs.writeFileSync(file, value);
}

/**
 * Makes the learner's cgroup if it is missing and (re)writes its limits; returns the container's
 * `CgroupParent`. Called before every create and start, so a cgroup removed meanwhile
 * (the reaper, a restart of the lab) is back with its limits before a container lands in it. Its
 * modification time is renewed too: the reaper leaves young cgroups alone.
 */
export function ensureLearnerCgroup(key: string, limits: LearnerLimits): string {
  const name = learnerCgroupName(key);
  const cpuQuota = String(Math.round(limits.cpus * limits.cpuPeriod));
  if (isV2()) {
    const dir = path.join(ROOT, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'memory.max'), String(limits.memoryBytes));
    writeIfPresent(path.join(dir, 'memory.swap.max'), '0');
    fs.writeFileSync(path.join(dir, 'pids.max'), String(limits.pids));
    writeIfPresent(path.join(dir, 'cpu.max'), `${cpuQuota} ${limits.cpuPeriod}`);
    try {
      fs.writeFileSync(path.join(dir, 'cgroup.subtree_control'), '+pids +memory +cpu');
    } catch {
      /* the engine enables controllers for its own children when it can */
    }
    touch(dir);
  } else {
    const memory = path.join(ROOT, 'memory', name);
    const pids = path.join(ROOT, 'pids', name);
    const cpu = path.join(ROOT, 'cpu', name);
    for (const dir of [memory, pids, cpu]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    fs.writeFileSync(path.join(pids, 'pids.max'), String(limits.pids));
    fs.writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), String(limits.cpuPeriod));
    fs.writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), cpuQuota);
    touch(pids);
  }
  return cgroupParentOf(name);
}

function touch(dir: string) {
  const now = new Date();
  fs.utimesSync(dir, now, now);
}

/** The limits written on a learner's cgroup, as the kernel reads them back (for tests and diagnosis). */
export function learnerCgroupLimits(key: string): { memoryBytes: number; pids: number; cpuQuota: number } | null {
  const name = learnerCgroupName(key);
  const read = (file: string) => fs.readFileSync(file, 'utf8').trim();
  try {
    if (isV2()) {
      const dir = path.join(ROOT, name);
      return {
        memoryBytes: Number(read(path.join(dir, 'memory.max'))),
        pids: Number(read(path.join(dir, 'pids.max'))),
        cpuQuota: Number(read(path.join(dir, 'cpu.max')).split(' ')[0]),
      };
    }
    return {
      memoryBytes: Number(read(path.join(ROOT, 'memory', name, 'memory.limit_in_bytes'))),
      pids: Number(read(path.join(ROOT, 'pids', name, 'pids.max'))),
      cpuQuota: Number(read(path.join(ROOT, 'cpu', name, 'cpu.cfs_quota_us'))),
    };
  } catch {
    return null;
  }
}

/** Removes the learner's cgroup (their containers are gone). */
export function removeLearnerCgroup(key: string): Promise<void> {
  return removeCgroup(learnerCgroupName(key));
}

/** Whether the learner's cgroup exists in any hierarchy. */
export function learnerCgroupExists(key: string): boolean {
  return dirsOf(learnerCgroupName(key)).length > 0;
}

/** Learner cgroups older than `minAgeMs`, by scope key (for the reaper). */
export function staleLearnerCgroupKeys(minAgeMs: number): string[] {
  return listCgroups(LEARNER_CGROUP_PREFIX, minAgeMs).map(keyOfLearnerCgroup);
}
