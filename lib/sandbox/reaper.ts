// Removes what runs left behind: labelled containers and images whose run is over (expired, or the
// lab process that started them is gone), containers the legacy builder left in a build cgroup, and
// empty build cgroups. Called at start-up, every LAB_REAP_INTERVAL_MS (engine-watch.ts), on shutdown,
// and by tests to prove nothing is left.
import type Docker from 'dockerode';
import { config } from '../config';
import { log } from '../log';
import { listCgroups, removeCgroup } from './build-cgroup';
import { BUILD_CGROUP_PREFIX } from './image-builder';
import { removeLearnerCgroup, staleLearnerCgroupKeys } from './learner-cgroup';
import { BUILD_LIMITS } from './limits';
import { EXPIRES_LABEL, PROCESS_LABEL, RUN_LABEL, TERMINAL_RUN_PREFIX, processIsGone, thisProcess } from './labels';

/** Which resources to remove. */
export type ReapScope =
  /** Orphans only: expired, or their lab process is gone. Safe while other lab processes share the engine. */
  | 'orphans'
  /** Orphans and everything this process started (on shutdown). */
  | 'mine';

/** What a reap removed (or found removed by another reaper at the same moment). */
export interface ReapReport {
  containers: string[];
  images: string[];
}

/** Containers a reap failed to remove, said once in the log. */
const unremovable = new Set<string>();

/** True when the container is gone, or goes within a few seconds (a removal another reaper began). */
async function goneSoon(docker: Docker, id: string): Promise<boolean> {
  for (let waited = 0; waited <= 3_000; waited += 250) {
    try {
      await docker.getContainer(id).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Every learner's images are named in their namespace, `learner-<key>/...` (lib/proxy/scope.ts). */
const LEARNER_IMAGE_PREFIX = 'learner-';

function isReapable(labels: Record<string, string> | undefined, scope: ReapScope, now: number): boolean {
  if (!labels?.[RUN_LABEL]) return false;
  if (scope === 'mine' && labels[PROCESS_LABEL] === thisProcess) return true;
  const expires = Number(labels[EXPIRES_LABEL]);
  if (Number.isFinite(expires) && expires < now) return true;
  return processIsGone(labels[PROCESS_LABEL]);
}

/** Removes leftovers; `liveBuilds` are run ids whose build cgroups must be left alone. */
export async function reap(docker: Docker, scope: ReapScope, liveBuilds: Set<string> = new Set()): Promise<ReapReport> {
  const now = Date.now();
  const report: ReapReport = { containers: [], images: [] };
  const containers = await docker.listContainers({ all: true });
  for (const info of containers) {
    let doomed = isReapable(info.Labels, scope, now);
    if (!info.Labels?.[RUN_LABEL]) {
      // The legacy builder's intermediate containers carry no labels; they are known by their cgroup parent.
      try {
        // Only old ones: a young one may belong to a build another lab process is running right now.
        const age = now - info.Created * 1000;
        if (age < BUILD_LIMITS.deadlineMs + 60_000) continue;
        const detail = await docker.getContainer(info.Id).inspect();
        const parent = (detail.HostConfig?.CgroupParent ?? '').replace(/^\//, '');
        doomed = parent.startsWith(BUILD_CGROUP_PREFIX) && !liveBuilds.has(parent.slice(BUILD_CGROUP_PREFIX.length));
      } catch {
        doomed = false;
      }
    }
    if (!doomed) continue;
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      report.containers.push(info.Id);
    } catch (error) {
      // Another lab process's reaper may be removing it at the same moment (404, or 409 while it is in
      // progress): gone all the same once that ends.
      const status = (error as { statusCode?: number }).statusCode;
      if ((status === 404 || status === 409) && (await goneSoon(docker, info.Id))) {
        report.containers.push(info.Id);
        continue;
      }
      // A container the engine cannot remove (its mount stayed busy through an engine restart: "Removal
      // In Progress" for good) is tried again by every reap, and said once.
      if (!unremovable.has(info.Id)) {
        unremovable.add(info.Id);
        log.warn('Failed to remove leftover container', { container: info.Id, error: String(error) });
      }
    }
  }
  const images = await docker.listImages({ filters: { label: [RUN_LABEL] } });
  for (const info of images) {
    if (!isReapable(info.Labels, scope, now)) continue;
    try {
      await docker.getImage(info.Id).remove({ force: true, noprune: true });
      report.images.push(info.Id);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404)
        log.warn('Failed to remove leftover image', { image: info.Id, error: String(error) });
    }
  }
  // A name in a learner's namespace on an image without the lab's labels: no learner sees or counts
  // it (ownership is by label), so nothing else would ever remove it. Only old ones: a build names its
  // image before the engine has answered the lab. These are everyone's: the reap at start-up takes them,
  // not a process clearing away its own (a test's reap of 'mine' would race the reaper's own test).
  for (const info of scope === 'orphans' ? await docker.listImages() : []) {
    if (info.Labels?.[RUN_LABEL] || now - info.Created * 1000 < BUILD_LIMITS.deadlineMs + 60_000) continue;
    for (const tag of (info.RepoTags ?? []).filter((name) => name.startsWith(LEARNER_IMAGE_PREFIX))) {
      await docker
        .getImage(tag)
        .remove({ noprune: true })
        .then(
          () => report.images.push(tag),
          () => undefined,
        );
    }
  }
  // Build cache: the unlabelled intermediate images of learner builds, known by the label they inherit
  // from the lab image they are built FROM. Kept for a day so that repeated runs build in milliseconds.
  if (scope === 'orphans') {
    await docker
      .pruneImages({ filters: { dangling: ['true'], label: ['lab.image'], until: [config().LAB_BUILD_CACHE_MAX_AGE] } })
      .catch((error) => {
        log.warn('Failed to prune the build cache', { error: String(error) });
      });
  }
  for (const name of listCgroups(BUILD_CGROUP_PREFIX, BUILD_LIMITS.deadlineMs + 60_000)) {
    if (!liveBuilds.has(name.slice(BUILD_CGROUP_PREFIX.length))) await removeCgroup(name);
  }
  // Learner cgroups outlive their containers only by accident (a crash before the workstation's end):
  // one whose learner has no terminal container left is removed once it is a minute old (a younger
  // one may be about to receive a container). The learner's containers are asked for right before the
  // removal: another lab process on the same engine may have given them one since this reap began.
  for (const key of staleLearnerCgroupKeys(60_000)) {
    const left = await docker
      .listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${TERMINAL_RUN_PREFIX}${key}`] } })
      .catch(() => null);
    if (left && left.length === 0) await removeLearnerCgroup(key);
  }
  if (report.containers.length || report.images.length) {
    log.info('Reaped leftovers of earlier runs', {
      containers: report.containers.length,
      images: report.images.length,
    });
  }
  return report;
}

/** Labelled containers and images that still exist (for tests and the benchmark's leftover count). */
export async function labelledResources(
  docker: Docker,
  owner?: string,
): Promise<{ containers: string[]; images: string[] }> {
  const label = owner ? [`lab.owner=${owner}`] : [RUN_LABEL];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const images = await docker.listImages({ filters: { label } });
  return { containers: containers.map((c) => c.Id), images: images.map((i) => i.Id) };
}
