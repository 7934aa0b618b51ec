// The containers a build's steps run in, found by the build's parent cgroup (the build API does not
// name them), so that what they write can be measured.
import fs from 'node:fs';
import { pidsDirOf } from './build-cgroup';

/**
 * The build containers of a build, by its parent cgroup: with the cgroupfs driver the engine names each
 * container's cgroup after the container's ID.
 */
export function buildContainers(parent: string): string[] {
  try {
    return fs.readdirSync(pidsDirOf(parent)).filter((name) => /^[0-9a-f]{64}$/.test(name));
  } catch {
    return [];
  }
}
