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

/** What was measured past a limit, and the limits. */
export type DiskOverage = Omit<DiskLimitEvent, 'type'>;

/**
 * Measures something's filesystem on a timer and hands an overage to `onOver`; one measure at a time.
 * The timer never keeps the process alive.
 */
export class DiskWatch {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly measure: () => Promise<DiskUsage | null>,
    private readonly limits: DiskLimits,
    private readonly onOver: (overage: DiskOverage) => Promise<void> | void,
    private readonly intervalMs = DISK_CHECK_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Measures now, and hands an overage on. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const usage = await this.measure().catch(() => null);
      if (!usage || !overDiskLimits(usage, this.limits)) return;
      await this.onOver({ bytes: usage.bytes, files: usage.files, limitBytes: this.limits.diskBytes, limitFiles: this.limits.diskFiles });
    } finally {
      this.checking = false;
    }
  }
}

/** A learner container's watch: past a limit it is killed, and `onKilled` hears of it just before. */
export function containerDiskWatch(engine: Engine, containerId: string, limits: DiskLimits, onKilled: (event: DiskLimitEvent) => void): DiskWatch {
  return new DiskWatch(
    () => engine.diskUsage(containerId, limits),
    limits,
    async (overage) => {
      // A container that is not running (between restarts, or gone) has nothing to kill: no event either.
      const state = await engine.inspect(containerId).catch(() => null);
      if (!state?.running) return;
      // The event goes first, so that the timeline reads: the limit, then the exit it causes.
      onKilled({ type: 'disk-limit', ...overage });
      await engine.kill(containerId, 'SIGKILL').catch(() => undefined);
    },
  );
}
