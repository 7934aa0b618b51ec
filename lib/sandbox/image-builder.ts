// Builds a learner's image, for a Run and for a terminal `docker build` alike: network none, memory,
// CPU, file-size and open-file limits, a parent cgroup with a process limit, the build's writes
// measured and stopped past the disk limit, and a deadline after which the build is cancelled and its
// processes killed. The build cache (the steps' images, no one's) is kept within its budget.
import { EngineLostError } from './engine-lost';
import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { config } from '../config';
import { DiskWatch } from './disk-watch';
import { buildContainers } from './build-containers';
import {
  buildCgroupsSupported,
  createBuildCgroup,
  engineCgroupDriver,
  SYSTEMD_DRIVER_MESSAGE,
  type BuildCgroup,
} from './build-cgroup';
import { holdCacheImage, releaseCacheImages, scheduleCacheTrim } from './build-cache';
import type { DiskLimits, DiskUsage } from './disk-usage';
import type { BuildMessage, BuildRequest, BuildResult } from './engine';
import { withEngineDeadline } from './engine-deadline';
import { isScript, labelledDockerfile, packTree } from './build-files';
import { killCgroupProcesses } from './kill-cgroup-processes';
import { labelsFor } from './labels';
import { LayerMeter } from './layer-meter';
import { BUILD_LIMITS, BUILD_ULIMITS } from './limits';
import { splitLines } from './line-splitter';

/** Prefix of the per-build parent cgroups (the reaper removes leftovers by it). */
export const BUILD_CGROUP_PREFIX = 'lab-build-';

/**
 * What the classic builder says when a cache entry it had just chosen is removed under it: builds of
 * different learners share their unlabelled steps, and the reaper prunes old ones.
 */
const CACHE_ENTRY_GONE = /unable to find image|no such image/i;

/** Step images a build keeps from the cache trim while it runs (a Dockerfile has a few dozen steps at most). */
const MAX_HELD_IMAGES = 64;

/**
 * Runs a build; a failed or timed-out build is a result, an unreachable engine is thrown. A build
 * that lost a cache entry while it ran is run again once, within what is left of the deadline.
 * Runs and terminal builds alike come through here: one deadline from the first call to the engine,
 * one process limit, one disk limit.
 */
export async function buildImage(
  docker: Docker,
  request: BuildRequest,
  deadlineMs: number,
  disk: DiskLimits = BUILD_LIMITS,
): Promise<BuildResult> {
  const startedAt = Date.now();
  const first = await buildOnce(docker, request, deadlineMs, disk);
  const left = deadlineMs - (Date.now() - startedAt);
  if (
    first.ok ||
    first.timedOut ||
    first.stopped ||
    !CACHE_ENTRY_GONE.test(first.error ?? '') ||
    left <= 0 ||
    request.signal?.aborted
  )
    return first;
  request.onOutput('A cached step was removed while this build used it: building again.');
  return buildOnce(docker, request, left, disk);
}

/** The build's context as a tar: the learner's files with the run's labels as the Dockerfile's last step. */
async function contextOf(request: BuildRequest): Promise<{ tar: Buffer; dockerfile: string } | { problem: string }> {
  const labels = request.stepLabels ?? labelsFor(request.labels);
  const context = request.context ?? {
    files: request.files.map((file) => ({
      name: file.name,
      content: Buffer.from(file.content, 'utf8'),
      mode: isScript(file) ? 0o755 : 0o644,
    })),
    directories: [],
    dockerfile: 'Dockerfile',
  };
  const file = context.files.find((entry) => entry.name === context.dockerfile);
  if (!file) return { problem: `Cannot locate specified Dockerfile: ${context.dockerfile}` };
  const labelled = labelledDockerfile(file.content.toString('utf8'), labels, request.options?.target);
  if ('problem' in labelled) return labelled;
  const files = context.files.map((entry) =>
    entry === file ? { ...entry, content: Buffer.from(labelled.text, 'utf8') } : entry,
  );
  return { tar: await packTree(files, context.directories), dockerfile: context.dockerfile };
}

async function buildOnce(
  docker: Docker,
  request: BuildRequest,
  deadlineMs: number,
  disk: DiskLimits,
): Promise<BuildResult> {
  let cgroup: BuildCgroup | null = null;
  const configuredParent = config().LAB_BUILD_CGROUP_PARENT;
  if (configuredParent) {
    cgroup = { parent: configuredParent, remove: async () => undefined };
  } else if (buildCgroupsSupported()) {
    if (
      (await withEngineDeadline('asking the engine for its cgroup driver', () => engineCgroupDriver(docker))) ===
      'systemd'
    )
      throw new Error(SYSTEMD_DRIVER_MESSAGE);
    cgroup = createBuildCgroup(`${BUILD_CGROUP_PREFIX}${request.buildId ?? request.labels.runId}`, BUILD_LIMITS);
  } else {
    throw new Error(
      'learner builds need a process limit: run the lab on the engine host (cgroupfs writable), ' +
        'or set LAB_BUILD_CGROUP_PARENT to a parent cgroup on the engine host that has one',
    );
  }
  const abort = new AbortController();
  let timedOut = false;
  let stopped: string | undefined;
  const stop = () => {
    abort.abort();
    if (!configuredParent && cgroup) killCgroupProcesses(cgroup.parent);
  };
  // The deadline runs from here, before the engine is asked anything: an engine that takes the
  // request and never answers still ends the build on time.
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, deadlineMs);
  const onAbort = () => {
    stopped = 'the build was stopped';
    stop();
  };
  request.signal?.addEventListener('abort', onAbort);
  // What the build's steps write is measured like a container's, and the build stopped past the limit.
  const meter = new LayerMeter(docker, !configuredParent);
  const diskWatch = new DiskWatch(
    async () => {
      let total: DiskUsage = { bytes: 0, files: 0 };
      for (const id of buildContainers(cgroup!.parent)) {
        const usage = await meter.measure(id, disk).catch(() => null);
        if (usage) total = { bytes: total.bytes + usage.bytes, files: (total.files ?? 0) + (usage.files ?? 0) };
      }
      return total;
    },
    disk,
    (overage) => {
      stopped = `the build wrote ${Math.round(overage.bytes / 1048576)} MiB (${overage.files ?? '?'} files), more than the ${Math.round(disk.diskBytes / 1048576)} MiB or ${disk.diskFiles} files a build may write`;
      stop();
    },
  );
  if (!configuredParent) diskWatch.start();
  let imageId: string | undefined;
  let error: string | undefined;
  let step = 0;
  let failedStep: number | undefined;
  /** Images this build's steps ended with, kept from the cache trim until it is over. */
  const held: string[] = [];
  try {
    const context = await contextOf(request);
    if ('problem' in context) {
      error = context.problem;
      return { ok: false, timedOut: false, error };
    }
    const options = request.options ?? {};
    const stream = (await docker.buildImage(Readable.from([context.tar]), {
      ...(request.tag ? { t: [request.tag, ...(request.moreTags ?? [])] } : {}),
      dockerfile: context.dockerfile,
      networkmode: 'none',
      memory: BUILD_LIMITS.memoryBytes,
      memswap: BUILD_LIMITS.memoryBytes,
      cpuquota: BUILD_LIMITS.cpuQuota,
      cpuperiod: BUILD_LIMITS.cpuPeriod,
      cgroupparent: cgroup.parent,
      ulimits: JSON.stringify(BUILD_ULIMITS),
      rm: true,
      forcerm: true,
      ...(options.noCache ? { nocache: true } : {}),
      ...(options.quiet ? { q: true } : {}),
      ...(options.target ? { target: options.target } : {}),
      ...(options.buildArgs && Object.keys(options.buildArgs).length ? { buildargs: options.buildArgs } : {}),
      ...(options.labels && Object.keys(options.labels).length ? { labels: options.labels } : {}),
      abortSignal: abort.signal,
    } as unknown as Docker.ImageBuildOptions)) as unknown as Readable;
    const lines = splitLines((line) => {
      if (!line.trim()) return;
      let message: BuildMessage;
      try {
        message = JSON.parse(line);
      } catch {
        request.onOutput(line);
        return;
      }
      request.onMessage?.(message);
      if (message.error) {
        // A failed build arrives as an {error} line inside an HTTP 200 stream.
        error = message.error.trim();
        failedStep = step || undefined;
        request.onOutput(error);
      }
      if (message.aux?.ID) imageId = message.aux.ID;
      if (message.stream) {
        for (const text of message.stream.split('\n')) {
          if (!text.trim()) continue;
          const stepMatch = /^Step (\d+)\/\d+ :/.exec(text);
          if (stepMatch) step = Number(stepMatch[1]);
          // Each step ends with its image (` ---> 3f2a...`). The build's own output can print such a
          // line too, so what is read here only keeps images from the cache trim while the build runs
          // (at most a few); nothing is ever removed because the output named it.
          const stepImage = /^ ---> ([0-9a-f]{12})$/.exec(text);
          if (stepImage && held.length < MAX_HELD_IMAGES) {
            held.push(stepImage[1]);
            holdCacheImage(stepImage[1]);
          }
          const built = /^Successfully built ([0-9a-f]+)/.exec(text);
          if (built && !imageId) imageId = built[1];
          request.onOutput(text);
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
      stream.on('end', () => {
        lines.flush();
        resolve();
      });
      stream.on('error', (streamError) => (timedOut || stopped ? resolve() : reject(streamError)));
      // A stream that closes before its end lost its connection: the engine stopped or restarted.
      stream.on('close', () =>
        timedOut || stopped || stream.readableEnded
          ? resolve()
          : reject(new EngineLostError('the build stream was cut')),
      );
    });
  } catch (caught) {
    if (!timedOut && !stopped) throw caught;
  } finally {
    clearTimeout(timer);
    diskWatch.stop();
    request.signal?.removeEventListener('abort', onAbort);
    await cgroup.remove();
    // What a failed build's steps made belongs to no one: the cache trim, after every build, keeps all
    // such images within the cache's budget, oldest first.
    if (request.hold && imageId && !timedOut && !stopped && !error) holdCacheImage(imageId);
    releaseCacheImages(held);
    scheduleCacheTrim(docker, BUILD_LIMITS.cacheBytes);
  }
  if (timedOut) {
    return {
      ok: false,
      timedOut: true,
      error: `the build ran past its ${Math.round(deadlineMs / 1000)} s deadline and was stopped`,
      failedStep: step || undefined,
    };
  }
  if (stopped) return { ok: false, timedOut: false, stopped: true, error: stopped, failedStep: step || undefined };
  if (error || !imageId)
    return { ok: false, timedOut: false, error: error ?? 'the build produced no image', failedStep };
  return { ok: true, timedOut: false, imageId };
}
