// Workstations with dockerode: the container, files copied in with the archive API, and login shells
// as TTY execs whose hijacked connection carries the terminal's bytes both ways.
import { config } from '../config';
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { log } from '../log';
import { isProcessOfContainer } from '../observe/proc-sampler';
import type { DiskLimits, DiskUsage } from './disk-usage';
import { dockerFromEnv } from './docker-engine';
import { withEngineDeadline } from './engine-deadline';
import { packContext } from './build-files';
import { LayerMeter } from './layer-meter';
import type { LearnerFile } from './learner-files';
import { sandboxHostConfig, sandboxNetworking } from './sandbox-host-config';
import type { Shell, TerminalSize, WorkstationHost, WorkstationSpec } from './workstation-host';

/** The workstation image's user (lab-images/workstation/Dockerfile): files copied in are theirs. */
const WORKSTATION_USER = { uid: 1000, gid: 1000 };

/**
 * Input waiting for a shell that does not read it (its TTY is full): past this much, more is dropped,
 * so a page cannot grow the server's memory by typing into a stuck shell. No one types this much.
 */
const INPUT_BUFFER_BYTES = 256 * 1024;

/** How long a shell sent SIGHUP may take to end before it is killed. */
const HANGUP_GRACE_MS = 2_000;

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

/** A login shell in a TTY exec. */
class ExecShell implements Shell {
  private dataListeners: ((chunk: Buffer) => void)[] = [];
  private exitListeners: ((code: number | null) => void)[] = [];
  /** Output that came before anyone listened (the prompt may be quicker than the caller). */
  private early: Buffer[] = [];
  private exited = false;

  constructor(
    private readonly exec: Docker.Exec,
    private readonly stream: Duplex,
  ) {
    // Read from the start: a stream nobody reads never reports its end.
    stream.on('data', (chunk: Buffer) => {
      if (this.dataListeners.length === 0) this.early.push(chunk);
      for (const listener of this.dataListeners) listener(chunk);
    });
    const ended = () => void this.finish();
    stream.on('end', ended);
    stream.on('close', ended);
    stream.on('error', (error) => {
      log.warn('Terminal stream to the engine failed', { exec: exec.id, error: String(error) });
      ended();
    });
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
    for (const chunk of this.early.splice(0)) listener(chunk);
  }

  onExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener);
  }

  write(data: Buffer): void {
    if (!this.exited && this.stream.writableLength + data.length <= INPUT_BUFFER_BYTES) this.stream.write(data);
  }

  resize(size: TerminalSize): void {
    // The engine refuses a resize before the process runs or after it ended: nothing to do then.
    this.exec.resize({ h: size.rows, w: size.cols }).catch(() => undefined);
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  close(): void {
    if (this.exited) return;
    // Closing the connection leaves the process running (the engine does not hang up an exec's TTY),
    // so the shell is sent SIGHUP by its host PID, as a terminal that closes does, when this process
    // sees the engine host's PIDs; else the connection is closed and the workstation's end ends the shell.
    this.exec
      .inspect()
      .then((info) => {
        if (!info.Running || !info.Pid) return;
        if (!isProcessOfContainer(info.Pid, info.ContainerID)) return void this.stream.destroy();
        const pid = info.Pid;
        signal(pid, 'SIGHUP');
        setTimeout(() => {
          if (!this.exited) signal(pid, 'SIGKILL');
        }, HANGUP_GRACE_MS).unref();
      })
      .catch(() => this.stream.destroy());
  }

  private async finish() {
    if (this.exited) return;
    this.exited = true;
    this.stream.destroy();
    let code: number | null = null;
    try {
      const info = await this.exec.inspect();
      code = info.Running ? null : (info.ExitCode ?? null);
    } catch {
      // The container is gone (removed with the workstation): the engine cannot say.
    }
    for (const listener of this.exitListeners) listener(code);
  }
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Workstations on a Docker engine. */
export class DockerWorkstationHost implements WorkstationHost {
  readonly local: boolean;

  private readonly layers: LayerMeter;

  constructor(readonly docker: Docker = dockerFromEnv()) {
    const host = config().DOCKER_HOST;
    this.local = !host || host.startsWith('unix://');
    this.layers = new LayerMeter(docker, this.local);
  }

  diskUsage(containerId: string, limits: DiskLimits): Promise<DiskUsage | null> {
    return this.layers.measure(containerId, limits);
  }

  async start(spec: WorkstationSpec): Promise<string> {
    const container = await this.docker.createContainer({
      name: spec.name,
      Image: spec.image,
      Hostname: 'workstation',
      Labels: spec.labels,
      ...sandboxNetworking(spec.limits),
      HostConfig: {
        ...sandboxHostConfig(spec.limits),
        Binds: [`${spec.dockerSocket}:/var/run/docker.sock`],
      },
    });
    try {
      await container.start();
    } catch (error) {
      await this.remove(container.id);
      throw error;
    }
    return container.id;
  }

  async remove(containerId: string): Promise<void> {
    try {
      await this.docker.getContainer(containerId).remove({ force: true, v: true });
    } catch (error) {
      // 404: gone already; 409: its removal is already in progress.
      if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
    }
  }

  async putFiles(containerId: string, dir: string, files: LearnerFile[]): Promise<void> {
    const archive = await packContext(files, { ...WORKSTATION_USER, mtime: new Date() });
    await withEngineDeadline('copying files into a workstation', () =>
      this.docker.getContainer(containerId).putArchive(archive, { path: dir }),
    );
  }

  async openShell(containerId: string, dir: string, size: TerminalSize): Promise<Shell> {
    const exec = await this.docker.getContainer(containerId).exec({
      Cmd: ['bash', '-l'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      WorkingDir: dir,
      Env: ['TERM=xterm-256color'],
    });
    // With a TTY the stream is raw bytes, not the multiplexed stdout/stderr frames.
    const stream = await exec.start({ hijack: true, stdin: true, Detach: false, Tty: true });
    const shell = new ExecShell(exec, stream);
    shell.resize(size);
    return shell;
  }
}
