// The Engine implemented with dockerode: the only module (with the image builder and the reaper
// beside it) that talks to Docker. The streams and the readings of the engine's answers are each in
// their own file beside it.
import type Docker from 'dockerode';
import { config } from '../config';
import type { Readable } from 'node:stream';
import type { FileChange, FileHead, ProcessInfo } from '../observe/timeline-event';
import { containerStateOf } from './container-state-of';
import type { DiskLimits, DiskUsage } from './disk-usage';
import { dockerFromEnv } from './docker-from-env';
import { isConflict, isNotFound, isNotModified } from './docker-errors';
import type {
  BuildRequest,
  BuildResult,
  ContainerRequest,
  ContainerState,
  Engine,
  EngineEvent,
  OutputLine,
  Stoppable,
} from './engine';
import { engineTimeoutMs, withEngineDeadline } from './engine-deadline';
import { execInContainer } from './exec-in-container';
import { firstFileHead } from './first-file-head';
import { followContainerEvents } from './follow-container-events';
import { followContainerLogs } from './follow-container-logs';
import { holdCacheImage, releaseCacheImages } from './build-cache';
import { buildImage } from './image-builder';
import { labelsFor } from './labels';
import { LayerMeter } from './layer-meter';
import { learnerBaseTags } from './learner-base-tags';
import { overlayChanges } from './overlay-changes';
import { isEngineConnectionError } from './engine-lost';
import { sandboxHostConfig, sandboxNetworking } from './sandbox-host-config';

export { dockerFromEnv } from './docker-from-env';
export { LEARNER_BASE_LABEL, learnerBaseTags } from './learner-base-tags';

/** How long a listing of the lab images is used, and how old it may be when a newer one is asked for. */
const LAB_IMAGES_KEPT_MS = 60_000;
const LAB_IMAGES_FRESH_MS = 5_000;

/** Talks to a Docker engine through dockerode. */
export class DockerEngine implements Engine {
  /** Containers whose removal failed because the engine was away. */
  private readonly unremoved = new Set<string>();
  readonly docker: Docker;
  readonly local: boolean;
  private readonly layers: LayerMeter;

  constructor(docker: Docker = dockerFromEnv()) {
    this.docker = docker;
    const { DOCKER_HOST: host, LAB_SAMPLER: sampler } = config();
    this.local = (!host || host.startsWith('unix://')) && sampler !== 'top';
    this.layers = new LayerMeter(docker, this.local);
  }

  private labImagesCache: { at: number; tags: Promise<string[]> } | null = null;

  /**
   * Lab images change only when the setup rebuilds them, and listing images is dear (about 0.25
   * CPU-seconds of dockerd with a build cache of 2,000 images): a listing is kept a minute, or
   * LAB_IMAGES_FRESH_MS when `fresh` asks for a newer one (a Dockerfile FROM an image not listed).
   * Lab images labelled `lab.learner-base=false` (the workstation) are the lab's own, never a base.
   */
  labImages(fresh = false): Promise<string[]> {
    const age = this.labImagesCache ? Date.now() - this.labImagesCache.at : Infinity;
    if (this.labImagesCache && age < (fresh ? LAB_IMAGES_FRESH_MS : LAB_IMAGES_KEPT_MS))
      return this.labImagesCache.tags;
    const tags = withEngineDeadline('listing the lab images', () =>
      this.docker.listImages({ filters: { label: ['lab.image'] } }),
    ).then(learnerBaseTags);
    this.labImagesCache = { at: Date.now(), tags };
    tags.catch(() => (this.labImagesCache = null));
    return tags;
  }

  build(request: BuildRequest, deadlineMs: number): Promise<BuildResult> {
    return buildImage(this.docker, request, deadlineMs);
  }

  async create(request: ContainerRequest): Promise<string> {
    const { limits, settings } = request;
    const container = await withEngineDeadline('creating a container', () =>
      this.docker.createContainer({
        name: request.name,
        Image: request.image,
        // A Pod spec's command replaces ENTRYPOINT and, with it, the image's CMD (the engine does the
        // same for an Entrypoint given here); its args replace CMD.
        Entrypoint: settings.command,
        Cmd: request.command ?? settings.args,
        Labels: labelsFor(request.labels),
        Env: Object.entries(settings.env).map(([key, value]) => `${key}=${value}`),
        Tty: false,
        OpenStdin: false,
        ...sandboxNetworking(limits),
        HostConfig: {
          ...sandboxHostConfig(limits),
          ReadonlyRootfs: false,
          Init: settings.init,
          RestartPolicy: {
            Name: settings.restart.policy === 'no' ? '' : settings.restart.policy,
            MaximumRetryCount: settings.restart.policy === 'on-failure' ? (settings.restart.maxRetries ?? 0) : 0,
          },
        },
      }),
    );
    return container.id;
  }

  async start(containerId: string): Promise<void> {
    await withEngineDeadline('starting a container', () => this.docker.getContainer(containerId).start());
  }

  async inspect(containerId: string): Promise<ContainerState> {
    return containerStateOf(
      await withEngineDeadline('inspecting a container', () => this.docker.getContainer(containerId).inspect()),
    );
  }

  async kill(containerId: string, signal: string): Promise<void> {
    try {
      await withEngineDeadline(`sending ${signal} to a container`, () =>
        this.docker.getContainer(containerId).kill({ signal }),
      );
    } catch (error) {
      // 409: not running any more, which is what a kill wants anyway.
      if (!isConflict(error)) throw error;
    }
  }

  /**
   * A host PID names a process on this host only when the engine runs here; then the kernel delivers
   * the signal directly (it may refuse: EPERM, ESRCH once the process is gone).
   */
  async signalProcess(hostPid: number, signal: string): Promise<void> {
    if (!this.local) throw new Error(`the engine runs on another host: host PID ${hostPid} is not a process here`);
    process.kill(hostPid, signal as NodeJS.Signals);
  }

  async stop(containerId: string, timeoutSec: number): Promise<void> {
    try {
      // docker stop itself waits up to timeoutSec for the container to end.
      await withEngineDeadline(
        'stopping a container',
        () => this.docker.getContainer(containerId).stop({ t: timeoutSec }),
        engineTimeoutMs() + timeoutSec * 1000,
      );
    } catch (error) {
      if (!isNotModified(error)) throw error;
    }
  }

  exec(containerId: string, command: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    return execInContainer(this.docker, containerId, command, timeoutMs);
  }

  async top(containerId: string): Promise<ProcessInfo[]> {
    const result = await withEngineDeadline("listing a container's processes", () =>
      this.docker.getContainer(containerId).top({ ps_args: '-o pid,ppid,stat,args' }),
    );
    const titles: string[] = result.Titles;
    const col = (name: string) => titles.indexOf(name);
    return (result.Processes as string[][]).map((row) => ({
      pid: Number(row[col('PID')]),
      ppid: Number(row[col('PPID')]),
      state: String(row[col('STAT')] ?? '?').charAt(0),
      command: row[col('COMMAND')] ?? row[row.length - 1],
    }));
  }

  /** From the container's overlay directories where they can be read here (see overlay-changes), else `docker diff`. */
  async diff(containerId: string): Promise<FileChange[]> {
    const dirs = await this.layers.dirs(containerId);
    return dirs ? overlayChanges(dirs) : this.dockerDiff(containerId);
  }

  /** The engine's own answer (`docker diff`): for remote engines and other storage drivers. */
  async dockerDiff(containerId: string): Promise<FileChange[]> {
    const answer: unknown = await withEngineDeadline("reading a container's changes", () =>
      this.docker.getContainer(containerId).changes(),
    );
    // A container that changed nothing is answered with null, which dockerode hands over as an empty Buffer.
    const changes = Array.isArray(answer) ? (answer as { Path: string; Kind: number }[]) : [];
    return changes.map((change) => ({
      kind: change.Kind === 1 ? 'added' : change.Kind === 2 ? 'deleted' : 'changed',
      path: change.Path,
    }));
  }

  async readFileHeads(containerId: string, paths: string[], maxBytes: number): Promise<FileHead[]> {
    const heads: FileHead[] = [];
    for (const path of paths) {
      const archive = (await withEngineDeadline('reading a file of a container', () =>
        this.docker.getContainer(containerId).getArchive({ path }),
      ).catch(() => null)) as Readable | null;
      if (!archive) continue;
      const head = await firstFileHead(archive, maxBytes);
      if (head) heads.push({ path, ...head });
    }
    return heads;
  }

  diskUsage(containerId: string, limits: DiskLimits): Promise<DiskUsage | null> {
    return this.layers.measure(containerId, limits);
  }

  events(runId: string, onEvent: (event: EngineEvent) => void, onEnd?: (detail: string) => void): Promise<Stoppable> {
    return followContainerEvents(this.docker, runId, onEvent, onEnd);
  }

  logs(containerId: string, sinceMs: number, onLine: (line: OutputLine) => void): Promise<Stoppable> {
    return followContainerLogs(this.docker, containerId, sinceMs, onLine);
  }

  async removeContainer(containerId: string): Promise<void> {
    this.layers.forget(containerId);
    try {
      await withEngineDeadline('removing a container', () =>
        this.docker.getContainer(containerId).remove({ force: true, v: true }),
      );
      this.unremoved.delete(containerId);
    } catch (error) {
      if (isNotFound(error) || isConflict(error)) return void this.unremoved.delete(containerId);
      // The engine is away: the container is removed when it answers again (EngineWatch).
      if (isEngineConnectionError(error)) this.unremoved.add(containerId);
      throw error;
    }
  }

  /** Removes the containers whose removal failed while the engine was away; resolves with how many went. */
  async retryRemovals(): Promise<number> {
    let removed = 0;
    for (const id of [...this.unremoved]) {
      await this.removeContainer(id).then(
        () => (removed += 1),
        () => undefined,
      );
    }
    return removed;
  }

  releaseImage(imageId: string): void {
    releaseCacheImages([imageId]);
  }

  async holdImage(imageId: string): Promise<boolean> {
    // Held first, then looked for: a trim between the two cannot remove it.
    holdCacheImage(imageId);
    if (await this.imageId(imageId)) return true;
    releaseCacheImages([imageId]);
    return false;
  }

  async imageId(name: string): Promise<string | null> {
    try {
      return (await withEngineDeadline('inspecting an image', () => this.docker.getImage(name).inspect())).Id;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async removeImage(tag: string): Promise<void> {
    try {
      // noprune keeps the parent layers: they are the build cache the next run of the same files reuses.
      await withEngineDeadline('removing an image', () =>
        this.docker.getImage(tag).remove({ force: true, noprune: true }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
