// Measures something's filesystem on a timer and hands what is past the limits to a handler: the
// writable layer of a container, a workstation, or the containers of a build.
import { overDiskLimits, type DiskLimits, type DiskUsage } from './disk-usage';

/** How often a running container's writable layer is measured. */
export const DISK_CHECK_MS = 2_000;

/** What was measured past a limit, and the limits. */
export interface DiskOverage {
  bytes: number;
  files?: number;
  limitBytes: number;
  limitFiles: number;
}

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
      await this.onOver({
        bytes: usage.bytes,
        files: usage.files,
        limitBytes: this.limits.diskBytes,
        limitFiles: this.limits.diskFiles,
      });
    } finally {
      this.checking = false;
    }
  }
}
