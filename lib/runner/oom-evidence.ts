// Whether the kernel's OOM killer ended a start of a container. Docker's answer alone is not enough:
// its OOMKilled flag and its `oom` event come from the shim's OOM notification, which can reach dockerd
// after the exit it belongs to (then State.OOMKilled stays false and the event comes up to half a second
// after the die, measured here under load) or not at all. The kernel's own count of OOM kills in the
// container's memory cgroup is the truth where the cgroup can be read here; Docker's flag and event are
// taken as well, and an exit that only an OOM kill explains waits a moment for a late event.
import { oomKillsIn } from '../observe/memory-watch';

/** How long a 137 exit with no sign of who sent the SIGKILL waits for Docker's late `oom` event. */
export const LATE_OOM_WAIT_MS = 1_000;
const LATE_OOM_POLL_MS = 20;

/** What one start of the container has shown of an OOM kill. */
export class OomEvidence {
  /** The first start's watch from the moment the container was started, before its PID is known. */
  private early: NodeJS.Timeout | null = null;
  private earlyKill = false;
  /** `oom` events from the engine since this start (counted as they arrive, ahead of the event queue). */
  private events = 0;
  /** Docker itself sent PID 1 SIGKILL (a `kill` event with signal 9: `docker kill`, a stop that timed out). */
  private sigkillSent = false;

  /** A new start of the container: what was seen belongs to the previous one. */
  started(): void {
    this.events = 0;
    this.sigkillSent = false;
  }

  /**
   * From the container's start call on, until its PID is watched (stopEarly) or it has died: a program
   * killed within its first milliseconds dies before the start event is handled, and its cgroup (and
   * with it the kernel's count) is gone soon after. Read every 10 ms from `file` (containerOomFile).
   */
  watchEarly(file: string | null): void {
    if (!file || this.early) return;
    this.early = setInterval(() => {
      const kills = oomKillsIn(file);
      if (kills) this.earlyKill = true;
      if (kills === null || kills > 0) this.stopEarly();
    }, 10);
  }

  stopEarly(): void {
    if (this.early) clearInterval(this.early);
    this.early = null;
  }

  /** The engine reported an OOM kill. */
  oomEvent(): void {
    this.events++;
  }

  /** The engine sent the container a signal. */
  killEvent(signal: number): void {
    if (signal === 9) this.sigkillSent = true;
  }

  /**
   * Whether this start ended in an OOM kill, given its exit code, Docker's State.OOMKilled and the kernel's
   * count (`kernel`, read again here). A SIGKILL nobody at Docker sent is the OOM killer's unless shown
   * otherwise, so such an exit waits, at most LATE_OOM_WAIT_MS, for the event or the count to say so.
   */
  async settle(exitCode: number, inspected: boolean, kernel: () => boolean): Promise<boolean> {
    const known = () => inspected || this.events > 0 || this.earlyKill || kernel();
    if (!known() && exitCode === 137 && !this.sigkillSent) {
      const until = Date.now() + LATE_OOM_WAIT_MS;
      while (!known() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, LATE_OOM_POLL_MS));
    }
    const oomKilled = known();
    this.started();
    this.stopEarly();
    this.earlyKill = false;
    return oomKilled;
  }
}
