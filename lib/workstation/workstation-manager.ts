// One workstation per learner: a small container from lab/workstation with the sandbox limits, whose
// /var/run/docker.sock is the learner's own Docker API proxy. Started on first use, removed after an
// idle timeout and on shutdown; labelled so the reaper removes it if this server dies first.
import { randomBytes } from 'node:crypto';
import { log } from '../log';
import { DiskWatch } from '../sandbox/disk-watch';
import { describeDiskUse } from '../observe/exit-status';
import { WORKSTATION_LABEL } from '../proxy/ownership';
import { scopeOf, terminalLabels } from '../proxy/scope';
import type { LearnerFile } from '../sandbox/learner-files';
import { RUN_LIMITS } from '../sandbox/limits';
import type { Shell, TerminalSize, WorkstationHost } from '../sandbox/workstation-host';
import { TerminalRefused } from '../terminal/terminal-sessions';
import { prepareSocketDir, socketPathFor } from './socket-dir';

/** How often a workstation's filesystem is measured (each walk stops just past the limits: it costs little). */
const WORKSTATION_DISK_CHECK_MS = 5_000;

/** The workstation's working directory: the exercise's files are copied here. */
export const WORK_DIR = '/work';

/** The learner's Docker API proxy, as the manager needs it. */
export interface LearnerProxy {
  close(): Promise<void>;
}

/** Starts a learner's proxy on a socket (lib/proxy/docker-proxy.ts in the lab). */
export type ProxyStarter = (options: { owner: string; socketPath: string }) => Promise<LearnerProxy>;

/** What a manager is made of; tests pass short timeouts. */
export interface WorkstationManagerOptions {
  host: WorkstationHost;
  startProxy: ProxyStarter;
  /** Removed after this long without input, a new connection or a Docker API call. */
  idleMs: number;
  /** Most workstations at once (64 unless said): every learner may ask for one, and each holds memory and processes. */
  maxWorkstations?: number;
  /** How often the workstation's own filesystem is measured against the disk limits. */
  diskCheckMs?: number;
  socketDir?: string;
  image?: string;
}

/** A running workstation. */
export interface Workstation {
  owner: string;
  containerId: string;
  socketPath: string;
  startedAt: number;
  /** How long creating the proxy and the container took. */
  startMs: number;
}

interface Station extends Workstation {
  proxy: LearnerProxy;
  lastActivity: number;
  idleTimer?: NodeJS.Timeout;
  disk?: DiskWatch;
}

/** Starts, keeps and removes learners' workstations. */
export class WorkstationManager {
  private readonly starting = new Map<string, Promise<Station>>();
  private readonly live = new Map<string, Station>();
  private readonly stoppedListeners = new Set<(owner: string, reason: string) => void>();
  private readonly image: string;

  constructor(private readonly options: WorkstationManagerOptions) {
    this.image = options.image ?? 'lab/workstation';
  }

  /** How many workstations run (or are starting) now. */
  get count(): number {
    return this.live.size + this.starting.size;
  }

  /** The learner's workstation, started when there is none. */
  ensure(owner: string): Promise<Workstation> {
    const existing = this.starting.get(owner);
    if (existing) return existing;
    if (this.starting.size >= (this.options.maxWorkstations ?? 64)) {
      return Promise.reject(
        new TerminalRefused('the lab has as many workstations running as it can take: try again in a few minutes'),
      );
    }
    const started = this.start(owner);
    this.starting.set(owner, started);
    started.catch(() => {
      if (this.starting.get(owner) === started) this.starting.delete(owner);
    });
    return started;
  }

  /** The learner's running workstation, if there is one (never starts one). */
  running(owner: string): Workstation | undefined {
    return this.live.get(owner);
  }

  /** The learner did something: the idle timeout starts again. */
  touch(owner: string): void {
    const station = this.live.get(owner);
    if (station) station.lastActivity = Date.now();
  }

  /** A login shell in the learner's workstation (started when there is none). */
  async openShell(owner: string, size: TerminalSize): Promise<Shell> {
    const station = await this.ensure(owner);
    this.touch(owner);
    return this.options.host.openShell(station.containerId, WORK_DIR, size);
  }

  /**
   * Copies files into the working directory of the learner's workstation, if it runs (a saved draft
   * need not start one). Returns whether it did.
   */
  async putFiles(owner: string, files: LearnerFile[]): Promise<boolean> {
    const station = this.live.get(owner);
    if (!station || files.length === 0) return false;
    await this.options.host.putFiles(station.containerId, WORK_DIR, files);
    return true;
  }

  /** Calls `listener` when a workstation is removed, with the reason to give its learner. */
  onStopped(listener: (owner: string, reason: string) => void): () => void {
    this.stoppedListeners.add(listener);
    return () => this.stoppedListeners.delete(listener);
  }

  /** Removes the learner's workstation and closes its proxy. */
  async stop(owner: string, reason = 'the workstation was stopped'): Promise<void> {
    const pending = this.starting.get(owner);
    if (!pending) return;
    this.starting.delete(owner);
    const station = await pending.catch(() => null);
    if (!station) return;
    if (this.live.get(owner) === station) this.live.delete(owner);
    clearTimeout(station.idleTimer);
    station.disk?.stop();
    log.info('Removing workstation', { owner, container: station.containerId, reason });
    // The proxy closes first: nothing the learner still has running (a loop of docker create, say) can
    // make a container after the listeners have removed the learner's containers.
    await station.proxy
      .close()
      .catch((error: unknown) => log.warn('Failed to close the Docker proxy', { owner, error: String(error) }));
    try {
      await this.options.host.remove(station.containerId);
    } catch (error) {
      log.error('Failed to remove workstation', { owner, container: station.containerId, error: String(error) });
    }
    for (const listener of this.stoppedListeners) listener(owner, reason);
  }

  /** Removes every workstation (shutdown). */
  async stopAll(reason = 'the lab is shutting down'): Promise<void> {
    await Promise.all([...this.starting.keys()].map((owner) => this.stop(owner, reason)));
  }

  private async start(owner: string): Promise<Station> {
    if (!this.options.host.local) {
      throw new Error(
        "the terminal needs the Docker engine on the lab's own host (its socket is mounted into the workstation)",
      );
    }
    const began = Date.now();
    const scope = scopeOf(owner);
    const socketPath = socketPathFor(prepareSocketDir(this.options.socketDir), scope.key);
    log.info('Starting workstation', { owner });
    // The socket must exist before the container starts: a bind mount of a missing path makes a directory.
    // Only the learner at the terminal (input, a new connection) keeps the workstation: calls on the
    // Docker socket do not, or a loop in the background would hold a workstation for good.
    const proxy = await this.options.startProxy({ owner, socketPath });
    let containerId: string;
    try {
      containerId = await this.options.host.start({
        name: `lab-ws-${scope.key}-${randomBytes(3).toString('hex')}`,
        image: this.image,
        labels: { ...terminalLabels(scope), [WORKSTATION_LABEL]: '1' },
        limits: RUN_LIMITS,
        dockerSocket: socketPath,
      });
    } catch (error) {
      log.error('Failed to start workstation', { owner, error: String(error) });
      await proxy.close().catch(() => undefined);
      throw error;
    }
    const station: Station = {
      owner,
      containerId,
      socketPath,
      proxy,
      startedAt: Date.now(),
      startMs: Date.now() - began,
      lastActivity: Date.now(),
    };
    this.live.set(owner, station);
    this.armIdleTimer(station);
    this.watchDisk(station);
    log.info('Started workstation', { owner, container: containerId.slice(0, 12), ms: station.startMs });
    return station;
  }

  /**
   * The shell can write to the workstation's own filesystem like any container: past the disk limits
   * the workstation is removed (the learner's files are the editor's, kept by the lab) and told why.
   */
  private watchDisk(station: Station): void {
    station.disk = new DiskWatch(
      () => this.options.host.diskUsage(station.containerId, RUN_LIMITS),
      RUN_LIMITS,
      async (overage) => {
        if (this.live.get(station.owner) !== station) return;
        log.warn('Workstation past its disk limit', {
          owner: station.owner,
          container: station.containerId.slice(0, 12),
          bytes: overage.bytes,
          files: overage.files,
        });
        await this.stop(station.owner, `the workstation was removed at its disk limit: ${describeDiskUse(overage)}`);
      },
      this.options.diskCheckMs ?? WORKSTATION_DISK_CHECK_MS,
    );
    station.disk.start();
  }

  private armIdleTimer(station: Station): void {
    const due = station.lastActivity + this.options.idleMs - Date.now();
    station.idleTimer = setTimeout(
      () => {
        if (this.live.get(station.owner) !== station) return;
        if (Date.now() - station.lastActivity >= this.options.idleMs) {
          const minutes = Math.round(this.options.idleMs / 60_000);
          void this.stop(
            station.owner,
            `the workstation was removed after ${minutes ? `${minutes} min` : `${Math.round(this.options.idleMs / 1000)} s`} without use`,
          );
        } else {
          this.armIdleTimer(station);
        }
      },
      Math.max(due, 0) + 50,
    );
    station.idleTimer.unref();
  }
}
