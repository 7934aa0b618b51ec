// A parent cgroup per build. The build API takes memory and CPU limits but no process limit, so a
// `RUN` fork bomb could exhaust the host's PIDs; the engine places the build's containers under
// `cgroupparent`, and the limits written here bound everything below it.
import { setTimeout as delay } from 'node:timers/promises';
import type Docker from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { log } from '../log';
import type { BuildLimits } from './limits';

const ROOT = '/sys/fs/cgroup';

/** A cgroup made for one build; remove() deletes it once the build's containers are gone. */
export interface BuildCgroup {
  /** The value for the build's `cgroupparent`. */
  parent: string;
  remove(): Promise<void>;
}

/** True on the unified hierarchy (cgroup v2). */
export function isV2(): boolean {
  return fs.existsSync(path.join(ROOT, 'cgroup.controllers'));
}

function write(file: string, value: string) {
  fs.writeFileSync(file, value);
}

/** The directory of a cgroup in the hierarchy that counts its processes (pids on cgroup v1). */
export function pidsDirOf(name: string): string {
  return isV2() ? path.join(ROOT, name) : path.join(ROOT, 'pids', name);
}

/** Every directory the engine may have made for this parent, in each hierarchy. */
export function dirsOf(name: string): string[] {
  if (isV2()) return [path.join(ROOT, name)];
  return fs
    .readdirSync(ROOT)
    .map((controller) => path.join(ROOT, controller, name))
    .filter((dir) => fs.existsSync(dir));
}

/**
 * The engine's `CgroupParent` for a cgroup the lab made at the root of each hierarchy. It must be
 * absolute: the engine joins a relative parent to its own cgroup in each hierarchy, which is not the
 * root wherever the engine runs in a service's cgroup, and the limits written here would then bound
 * nothing (seen here: the engine's memory cgroup is not the root, its pids cgroup is).
 */
export const cgroupParentOf = (name: string) => `/${name}`;

const drivers = new WeakMap<Docker, Promise<string>>();

/**
 * The engine's cgroup driver, asked once. The lab's cgroups are directories it makes under the
 * cgroupfs root, which the engine accepts as a parent only with the `cgroupfs` driver; with `systemd`
 * it wants a slice name.
 */
export function engineCgroupDriver(docker: Docker): Promise<string> {
  let driver = drivers.get(docker);
  if (!driver) {
    driver = docker.info().then((info: { CgroupDriver?: string }) => info.CgroupDriver ?? 'cgroupfs');
    driver.catch(() => drivers.delete(docker));
    drivers.set(docker, driver);
  }
  return driver;
}

/** The message for an engine whose cgroup driver the lab cannot place builds under. */
export const SYSTEMD_DRIVER_MESSAGE =
  'the Docker engine uses the systemd cgroup driver: the lab places learner builds under cgroups it makes, which needs the cgroupfs driver ' +
  '("exec-opts": ["native.cgroupdriver=cgroupfs"] in /etc/docker/daemon.json), or set LAB_BUILD_CGROUP_PARENT to a slice with a pids limit';

/** True when build cgroups can be made here (local engine, writable cgroupfs). */
export function buildCgroupsSupported(): boolean {
  try {
    if (isV2()) {
      fs.accessSync(path.join(ROOT, 'cgroup.subtree_control'), fs.constants.W_OK);
    } else {
      fs.accessSync(path.join(ROOT, 'pids'), fs.constants.W_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Makes the parent cgroup with the build limits. Throws when the limits cannot be set: no build without them. */
export function createBuildCgroup(name: string, limits: BuildLimits): BuildCgroup {
  if (isV2()) {
    const dir = path.join(ROOT, name);
    fs.mkdirSync(dir);
    write(path.join(dir, 'pids.max'), String(limits.pids));
    write(path.join(dir, 'memory.max'), String(limits.memoryBytes));
    try {
      write(path.join(dir, 'cgroup.subtree_control'), '+pids +memory');
    } catch {
      /* the engine enables controllers for its own children when it can */
    }
  } else {
    const pids = path.join(ROOT, 'pids', name);
    const memory = path.join(ROOT, 'memory', name);
    fs.mkdirSync(pids);
    write(path.join(pids, 'pids.max'), String(limits.pids));
    fs.mkdirSync(memory);
    write(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  }
  return {
    parent: cgroupParentOf(name),
    remove: () => removeCgroup(name),
  };
}

/** Removes the directories of a cgroup the lab made; retries briefly while the engine tears down its children. */
export async function removeCgroup(name: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    let left = 0;
    for (const dir of dirsOf(name)) {
      // Children first: the engine's per-container cgroups, if it has not removed them yet.
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          try {
            fs.rmdirSync(path.join(dir, entry.name));
          } catch {
            left++;
          }
        }
      }
      try {
        fs.rmdirSync(dir);
      } catch {
        left++;
      }
    }
    if (left === 0) return;
    await delay(100);
  }
  log.warn('Cgroup not removable yet; the reaper will retry', { cgroup: name });
}

/**
 * Names of the cgroups with this prefix older than `minAgeMs` (for the reaper). Young ones are left alone: another
 * lab process may have just made one for a build whose containers do not exist yet.
 */
export function listCgroups(prefix: string, minAgeMs: number): string[] {
  const base = isV2() ? ROOT : path.join(ROOT, 'pids');
  try {
    return fs
      .readdirSync(base)
      .filter((name) => name.startsWith(prefix))
      .filter((name) => Date.now() - fs.statSync(path.join(base, name)).mtimeMs > minAgeMs);
  } catch {
    return [];
  }
}
