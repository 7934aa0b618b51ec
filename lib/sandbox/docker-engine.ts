// The Engine implemented with dockerode: the only module (with the image builder and the reaper
// beside it) that talks to Docker.
import Docker from 'dockerode';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { FileChange, FileHead, ProcessInfo } from '../observe/timeline-event';
import type { DiskLimits, DiskUsage } from './disk-usage';
import { LayerMeter } from './layer-meter';
import { engineTimeoutMs, withEngineDeadline } from './engine-deadline';
import { buildImage } from './image-builder';
import { RUN_LABEL, labelsFor } from './labels';
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
import { splitLines } from './line-splitter';
import { sandboxHostConfig } from './sandbox-host-config';

/** On a lab image: `false` when learners may not build FROM it. */
export const LEARNER_BASE_LABEL = 'lab.learner-base';

/** A dockerode client for DOCKER_HOST or the default socket. */
export function dockerFromEnv(): Docker {
  const host = process.env.DOCKER_HOST;
  if (!host) return new Docker({ socketPath: '/var/run/docker.sock' });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375) });
}

function epochMs(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || ms < 0 ? 0 : ms;
}

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

function isNotModified(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 304;
}

/**
 * The first entry of a tar stream when it is a regular file: its size and its first bytes. The rest of
 * the stream is not read (a folder's archive holds the whole folder).
 */
function firstFileHead(archive: Readable, maxBytes: number): Promise<{ size: number; head: string } | null> {
  return new Promise((resolve) => {
    const extract = tar.extract();
    let settled = false;
    const done = (result: { size: number; head: string } | null) => {
      if (settled) return;
      settled = true;
      archive.destroy();
      extract.destroy();
      resolve(result);
    };
    extract.on('entry', (header, stream) => {
      if (header.type !== 'file') return done(null);
      const chunks: Buffer[] = [];
      let read = 0;
      stream.on('data', (data: unknown) => {
        const chunk = data as Buffer;
        chunks.push(chunk);
        read += chunk.length;
        if (read >= maxBytes) done({ size: header.size ?? read, head: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8') });
      });
      stream.on('end', () => done({ size: header.size ?? read, head: Buffer.concat(chunks).toString('utf8') }));
    });
    extract.on('error', () => done(null));
    extract.on('finish', () => done(null));
    archive.on('error', () => done(null));
    archive.pipe(extract);
  });
}

/** Parses Docker's multiplexed (non-TTY) stream into stdout and stderr payloads. */
function demux(stream: Readable, onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void): void {
  let buffer = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 8) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < 8 + size) break;
      const kind = buffer[0] === 2 ? 'stderr' : 'stdout';
      onFrame(kind, buffer.subarray(8, 8 + size));
      buffer = buffer.subarray(8 + size);
    }
  });
}

/**
 * The tags learners may build FROM, out of a list of images: lab images (label lab.image, a `lab/`
 * tag) not marked as the lab's own tools (lab.learner-base=false, the workstation), without `:latest`.
 */
export function learnerBaseTags(images: Docker.ImageInfo[]): string[] {
  return images
    .filter((image) => image.Labels?.['lab.image'] && image.Labels?.[LEARNER_BASE_LABEL] !== 'false')
    .flatMap((image) => image.RepoTags ?? [])
    .filter((tag) => tag.startsWith('lab/'))
    .map((tag) => tag.replace(/:latest$/, ''))
    .sort();
}

/** Talks to a Docker engine through dockerode. */
export class DockerEngine implements Engine {
  readonly docker: Docker;
  readonly local: boolean;
  private readonly layers: LayerMeter;

  constructor(docker: Docker = dockerFromEnv()) {
    this.docker = docker;
    const host = process.env.DOCKER_HOST;
    this.local = (!host || host.startsWith('unix://')) && process.env.LAB_SAMPLER !== 'top';
    this.layers = new LayerMeter(docker, this.local);
  }

  private labImagesCache: { at: number; tags: Promise<string[]> } | null = null;

  /**
   * Lab images change only when the setup rebuilds them: a listing a few seconds old is good enough.
   * Lab images labelled `lab.learner-base=false` (the workstation) are the lab's own, never a base.
   */
  labImages(): Promise<string[]> {
    if (this.labImagesCache && Date.now() - this.labImagesCache.at < 5_000) return this.labImagesCache.tags;
    const tags = withEngineDeadline('listing the lab images', () => this.docker.listImages({ filters: { label: ['lab.image'] } }))
      .then(learnerBaseTags);
    this.labImagesCache = { at: Date.now(), tags };
    tags.catch(() => (this.labImagesCache = null));
    return tags;
  }

  build(request: BuildRequest, deadlineMs: number): Promise<BuildResult> {
    return buildImage(this.docker, request, deadlineMs);
  }

  async create(request: ContainerRequest): Promise<string> {
    const { limits, settings } = request;
    const container = await withEngineDeadline('creating a container', () => this.docker.createContainer({
      name: request.name,
      Image: request.image,
      Cmd: request.command,
      Labels: labelsFor(request.labels),
      Env: Object.entries(settings.env).map(([key, value]) => `${key}=${value}`),
      Tty: false,
      OpenStdin: false,
      HostConfig: {
        ...sandboxHostConfig(limits),
        ReadonlyRootfs: false,
        Init: settings.init,
        RestartPolicy: {
          Name: settings.restart.policy === 'no' ? '' : settings.restart.policy,
          MaximumRetryCount: settings.restart.policy === 'on-failure' ? (settings.restart.maxRetries ?? 0) : 0,
        },
      },
    }));
    return container.id;
  }

  async start(containerId: string): Promise<void> {
    await withEngineDeadline('starting a container', () => this.docker.getContainer(containerId).start());
  }

  async inspect(containerId: string): Promise<ContainerState> {
    const info = await withEngineDeadline('inspecting a container', () => this.docker.getContainer(containerId).inspect());
    return {
      running: info.State.Running,
      restarting: info.State.Restarting,
      pid: info.State.Pid,
      exitCode: info.State.ExitCode,
      oomKilled: info.State.OOMKilled,
      restartCount: info.RestartCount,
      startedAt: epochMs(info.State.StartedAt),
      finishedAt: epochMs(info.State.FinishedAt),
      command: [info.Path, ...(info.Args ?? [])],
      name: info.Name,
      labels: info.Config.Labels ?? {},
      image: info.Config.Image,
    };
  }

  async kill(containerId: string, signal: string): Promise<void> {
    try {
      await withEngineDeadline(`sending ${signal} to a container`, () => this.docker.getContainer(containerId).kill({ signal }));
    } catch (error) {
      // 409: not running any more, which is what a kill wants anyway.
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
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
      await withEngineDeadline('stopping a container', () => this.docker.getContainer(containerId).stop({ t: timeoutSec }), engineTimeoutMs() + timeoutSec * 1000);
    } catch (error) {
      if (!isNotModified(error)) throw error;
    }
  }

  async exec(containerId: string, command: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    const exec = await withEngineDeadline('creating an exec', () =>
      this.docker.getContainer(containerId).exec({
        Cmd: command,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      }),
    );
    const stream = (await withEngineDeadline('starting an exec', () => exec.start({ hijack: true, stdin: false }))) as unknown as Readable;
    let output = '';
    demux(stream, (_kind, payload) => {
      if (output.length < 16_384) output += payload.toString('utf8');
    });
    const finished = new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    stream.destroy();
    if (timedOut) return { exitCode: -1, output: `${output}\n(the command did not finish within ${timeoutMs} ms)` };
    const info = await withEngineDeadline('inspecting an exec', () => exec.inspect());
    return { exitCode: info.ExitCode ?? -1, output };
  }

  async top(containerId: string): Promise<ProcessInfo[]> {
    const result = await withEngineDeadline('listing a container\'s processes', () => this.docker.getContainer(containerId).top({ ps_args: '-o pid,ppid,stat,args' }));
    const titles: string[] = result.Titles;
    const col = (name: string) => titles.indexOf(name);
    return (result.Processes as string[][]).map((row) => ({
      pid: Number(row[col('PID')]),
      ppid: Number(row[col('PPID')]),
      state: String(row[col('STAT')] ?? '?').charAt(0),
      command: row[col('COMMAND')] ?? row[row.length - 1],
    }));
  }

  async diff(containerId: string): Promise<FileChange[]> {
    const answer: unknown = await withEngineDeadline('reading a container\'s changes', () => this.docker.getContainer(containerId).changes());
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
      const archive = (await withEngineDeadline('reading a file of a container', () => this.docker.getContainer(containerId).getArchive({ path })).catch(() => null)) as Readable | null;
      if (!archive) continue;
      const head = await firstFileHead(archive, maxBytes);
      if (head) heads.push({ path, ...head });
    }
    return heads;
  }

  diskUsage(containerId: string, limits: DiskLimits): Promise<DiskUsage | null> {
    return this.layers.measure(containerId, limits);
  }

  async events(runId: string, onEvent: (event: EngineEvent) => void): Promise<Stoppable> {
    const stream = (await withEngineDeadline('opening the event stream', () =>
      this.docker.getEvents({
        filters: { type: ['container'], label: [`${RUN_LABEL}=${runId}`] },
      }),
    )) as unknown as Readable;
    // NDJSON, and a chunk may end in the middle of a line.
    const lines = splitLines((line) => {
      let message: { Action?: string; id?: string; timeNano?: number; Actor?: { Attributes?: Record<string, string> } };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      const action = message.Action ?? '';
      if (!['create', 'start', 'die', 'oom', 'kill', 'stop', 'restart', 'destroy'].includes(action)) return;
      const exitCode = message.Actor?.Attributes?.exitCode;
      onEvent({
        containerId: message.id ?? '',
        action: action as EngineEvent['action'],
        time: message.timeNano ? Math.round(message.timeNano / 1e6) : Date.now(),
        exitCode: exitCode === undefined ? undefined : Number(exitCode),
      });
    });
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    stream.on('error', () => undefined);
    return { stop: () => stream.destroy() };
  }

  async logs(containerId: string, sinceMs: number, onLine: (line: OutputLine) => void): Promise<Stoppable> {
    const raw = (await withEngineDeadline('opening a container\'s logs', () =>
      this.docker.getContainer(containerId).logs({
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        since: Math.floor(sinceMs / 1000),
      }),
    )) as unknown as Readable;
    const splitters = {
      stdout: splitLines((line) => emit('stdout', line)),
      stderr: splitLines((line) => emit('stderr', line)),
    };
    function emit(stream: 'stdout' | 'stderr', line: string) {
      const space = line.indexOf(' ');
      const time = Date.parse(line.slice(0, space));
      if (!Number.isNaN(time) && time < sinceMs) return; // `since` has whole-second precision
      onLine({ stream, text: line.slice(space + 1), time: Number.isNaN(time) ? Date.now() : time });
    }
    demux(raw, (kind, payload) => splitters[kind].push(payload.toString('utf8')));
    const finished = new Promise<void>((resolve) => {
      raw.on('end', () => {
        splitters.stdout.flush();
        splitters.stderr.flush();
        resolve();
      });
      raw.on('close', () => resolve());
      raw.on('error', () => resolve());
    });
    return { stop: () => raw.destroy(), finished };
  }

  async removeContainer(containerId: string): Promise<void> {
    try {
      await withEngineDeadline('removing a container', () => this.docker.getContainer(containerId).remove({ force: true, v: true }));
    } catch (error) {
      if (!isNotFound(error) && (error as { statusCode?: number }).statusCode !== 409) throw error;
    }
  }

  async removeImage(tag: string): Promise<void> {
    try {
      // noprune keeps the parent layers: they are the build cache the next run of the same files reuses.
      await withEngineDeadline('removing an image', () => this.docker.getImage(tag).remove({ force: true, noprune: true }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

