// Waiting for something to happen to a scenario's container. Events are the fast path (every event the
// scenario records wakes the waits); a watchdog re-reads the engine's state in case an event was lost.

/** How often the watchdog runs while something is waited for. */
const WATCHDOG_MS = 500;

/** Waits for conditions over a scenario's state, until they hold, time out, or the scenario is aborted. */
export class ConditionWaiter {
  private readonly wakers = new Set<() => void>();
  private isAborted = false;

  /** `watchdog` re-reads the container's state from the engine and records what the events missed. */
  constructor(private readonly watchdog: () => Promise<void>) {}

  /** True once the scenario was aborted (cancelled, or past its deadline). */
  get aborted(): boolean {
    return this.isAborted;
  }

  /** Something changed: every condition waited for is checked again. */
  wake(): void {
    for (const wake of this.wakers) wake();
  }

  /** Ends every wait, with false. */
  abort(): void {
    this.isAborted = true;
    this.wake();
  }

  /**
   * Resolves true when `predicate` holds, false on timeout or abort. It also ends (false) once
   * `hopeless` holds: nothing more can happen to wait for.
   */
  until(predicate: () => boolean, timeoutMs: number, hopeless: () => boolean = () => false): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let finished = false;
      const finish = (value: boolean) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearInterval(watchdog);
        this.wakers.delete(check);
        resolve(value);
      };
      const check = () => {
        if (predicate()) finish(true);
        else if (this.aborted || hopeless()) finish(false);
      };
      const timer = setTimeout(() => finish(predicate()), timeoutMs);
      const watchdog = setInterval(() => void this.watchdog(), WATCHDOG_MS);
      this.wakers.add(check);
      check();
    });
  }
}
