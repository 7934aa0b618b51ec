// Admission control: at most `size` runs build and run at once; the others wait in arrival order.
// Timing checks ("stops within 2 s") stay fair when many runs start together, and the machine stays
// responsive. Sized from the machine's cores unless LAB_MAX_RUNS says otherwise.
import os from 'node:os';

/** A FIFO semaphore for runs. */
export class RunSlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new Error(`run slots must be at least 1, not ${size}`);
  }

  /** Runs in progress and runs waiting. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  /**
   * Resolves with a release function once a slot is free; `onQueued` hears the position (1 = next)
   * when the run has to wait. Rejects if `signal` aborts while waiting.
   */
  acquire(signal?: AbortSignal, onQueued?: (position: number) => void): Promise<() => void> {
    const release = () => {
      this.active--;
      this.waiting.shift()?.();
    };
    const grant = () => {
      this.active++;
      let released = false;
      return () => {
        if (!released) {
          released = true;
          release();
        }
      };
    };
    if (this.active < this.size && this.waiting.length === 0) return Promise.resolve(grant());
    onQueued?.(this.waiting.length + 1);
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(grant());
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(wake);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new Error('the run was cancelled while it waited for a slot'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(wake);
    });
  }
}

/** The slots every run of this process shares. */
export const defaultRunSlots = new RunSlots(Number(process.env.LAB_MAX_RUNS ?? Math.max(2, os.cpus().length * 2)));
