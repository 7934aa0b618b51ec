// Sampling a running container's processes: at 10 Hz while it runs, every 10 ms in a burst after a stop
// (the order in which processes end is what a check judges), one sample at a time.
import type { ProcessSampler } from '../observe/proc-sampler';
import type { ProcessInfo } from '../observe/timeline-event';

/** How often processes are sampled while the container runs. */
export const SAMPLE_INTERVAL_MS = 100;

/** Samples one container's processes while `live()` holds, and hands each sample to `onSample`. */
export class SamplingLoop {
  private sampler: ProcessSampler | null = null;
  private sampling = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly live: () => boolean,
    private readonly onSample: (processes: ProcessInfo[]) => void,
  ) {}

  /** Samples with `sampler` from now on: each start of the container has its own. */
  use(sampler: ProcessSampler): void {
    this.sampler = sampler;
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

  /** Takes a sample now (skipped if one is in progress). */
  async sampleNow(): Promise<void> {
    if (!this.live() || !this.sampler || this.sampling) return;
    this.sampling = true;
    try {
      this.onSample(await this.sampler.sample());
    } finally {
      this.sampling = false;
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
  }
}
