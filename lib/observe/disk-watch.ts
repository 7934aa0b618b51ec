// Keeps a running container within its disk limits: its writable layer is measured every few seconds
// and the container is killed once past the limit (bytes or files). What was measured is the event
// the timeline shows, so the learner sees why their container died with 137.
import type { DiskLimits, DiskUsage } from '../sandbox/disk-usage';
import { overDiskLimits } from '../sandbox/disk-usage';
import type { Engine } from '../sandbox/engine';
import type { EventOf } from './timeline-event';

/** How often a running container's writable layer is measured. */
export const DISK_CHECK_MS = 2_000;

/** The timeline event for a container stopped at its disk limit. */
export type DiskLimitEvent = Omit<EventOf<'disk-limit'>, 'seq' | 't' | 'scenario'>;

/** Measures one container on a timer; `onKilled` hears of each kill, just before it is sent. */
export class DiskWatch {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly engine: Engine,
    private readonly containerId: string,
    private readonly limits: DiskLimits,
    private readonly onKilled: (event: DiskLimitEvent) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.check(), DISK_CHECK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Measures now; kills the container and reports when it is past a limit. */
  async check(): Promise<DiskUsage | null> {
    if (this.checking) return null;
    this.checking = true;
    try {
      const usage = await this.engine.diskUsage(this.containerId, this.limits).catch(() => null);
      if (!usage || !overDiskLimits(usage, this.limits)) return null;
      // A container that is not running (between restarts, or gone) has nothing to kill: no event either.
      const state = await this.engine.inspect(this.containerId).catch(() => null);
      if (!state?.running) return null;
      // The event goes first, so that the timeline reads: the limit, then the exit it causes.
      this.onKilled({ type: 'disk-limit', bytes: usage.bytes, files: usage.files, limitBytes: this.limits.diskBytes, limitFiles: this.limits.diskFiles });
      await this.engine.kill(this.containerId, 'SIGKILL').catch(() => undefined);
      return usage;
    } finally {
      this.checking = false;
    }
  }
}
