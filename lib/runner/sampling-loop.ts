// Sampling a running container's processes: at 10 Hz while it runs, every 10 ms in a burst after a stop
// (the order in which processes end is what a check judges), one sample at a time. Between samples, a
// watch on the container's cgroup (one small file read every 10 ms) takes a sample at once when PID 1
// leaves it: the container's end is in the timeline within milliseconds, not at the next sample.
import fs from 'node:fs';
import type { ProcessSampler } from '../observe/proc-sampler';
import type { ProcessInfo } from '../observe/timeline-event';

/** How often processes are sampled while the container runs. */
export const SAMPLE_INTERVAL_MS = 100;

/** How often the cgroup's process list is read for PID 1's exit. */
export const EXIT_WATCH_INTERVAL_MS = 10;

/** Samples one container's processes while `live()` holds, and hands each sample to `onSample`. */
export class SamplingLoop {
  private sampler: ProcessSampler | null = null;
  private sampling = false;
  /** A sample was asked for while one was in progress: take another when it ends. */
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private exitWatch: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly live: () => boolean,
    private readonly onSample: (processes: ProcessInfo[]) => void,
  ) {}

  /** Samples with `sampler` from now on: each start of the container has its own. */
  use(sampler: ProcessSampler): void {
    this.sampler = sampler;
  }

  /**
   * Watches the cgroup's process list (`cgroup.procs`) for PID 1 (host PID `hostPid`) to leave it, which
   * it does the moment it exits (a zombie is no longer listed), and samples then. One watch at a time:
   * each start of the container has its own PID 1. The samples remain the truth.
   */
  watchExit(procsFile: string, hostPid: number, onExit?: () => void): void {
    this.clearExitWatch();
    if (this.stopped || hostPid <= 0) return;
    const pid = String(hostPid);
    this.exitWatch = setInterval(() => {
      let listed: boolean;
      try {
        listed = fs.readFileSync(procsFile, 'utf8').split('\n').includes(pid);
      } catch {
        listed = false; // the cgroup is gone with the container
      }
      if (listed) return;
      this.clearExitWatch();
      onExit?.();
      void this.sampleNow();
    }, EXIT_WATCH_INTERVAL_MS);
  }

  private clearExitWatch(): void {
    if (this.exitWatch) clearInterval(this.exitWatch);
    this.exitWatch = null;
  }

  /** Starts sampling at 10 Hz; true when it started now, false when it already ran or was stopped. */
  start(): boolean {
    if (this.timer || this.stopped) return false;
    this.timer = setInterval(() => void this.sampleNow(), SAMPLE_INTERVAL_MS);
    return true;
  }

  /** Samples every 10 ms (until cleared, at most 30 s): the order in which processes end, after a stop. */
  burst(): NodeJS.Timeout {
    const burst = setInterval(() => void this.sampleNow(), 10);
    setTimeout(() => clearInterval(burst), 30_000).unref();
    return burst;
  }

  /** Takes a sample now (or, if one is in progress, once it ends). */
  async sampleNow(): Promise<void> {
    if (!this.live() || !this.sampler) return;
    if (this.sampling) {
      this.again = true;
      return;
    }
    this.sampling = true;
    try {
      this.onSample(await this.sampler.sample());
    } finally {
      this.sampling = false;
    }
    if (this.again) {
      this.again = false;
      await this.sampleNow();
    }
  }

  /**
   * Stops the 10 Hz sampling for good: a container that restarts while its scenario ends (a restart
   * policy) must not start a timer nobody clears, which would keep the process alive.
   */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clearExitWatch();
  }
}
