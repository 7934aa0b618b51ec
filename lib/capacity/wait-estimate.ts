// How long a queued run will wait, from how long recent runs held their slot. An estimate, shown to
// the learner as "about N s": the median of recent runs, so one stuck run does not skew it.

/** Assumed for a run until some have finished on this server. */
export const DEFAULT_RUN_MS = 10_000;

/** How many recent runs the estimate looks at. */
const KEPT = 30;

/** Recent slot hold times (a run's build and scenarios, or a terminal build). */
export class RunDurations {
  private readonly recent: number[] = [];

  record(ms: number): void {
    this.recent.push(ms);
    if (this.recent.length > KEPT) this.recent.shift();
  }

  /** The median of recent runs, or DEFAULT_RUN_MS before any. */
  typical(): number {
    if (this.recent.length === 0) return DEFAULT_RUN_MS;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }
}

/**
 * When each of `count` waiting runs will start, in ms from now: the slots free up as their runs end
 * (each expected to take `typicalMs`, minus what it has already run), and each waiting run, in turn,
 * takes the slot that frees up first. `elapsed` holds how long each busy slot has been busy.
 */
export function estimateStarts(size: number, elapsed: number[], typicalMs: number, count: number): number[] {
  const freeAt = Array.from({ length: size }, (_, index) =>
    index < elapsed.length ? Math.max(0, typicalMs - elapsed[index]) : 0,
  );
  const starts: number[] = [];
  for (let i = 0; i < count; i++) {
    let soonest = 0;
    for (let slot = 1; slot < freeAt.length; slot++) if (freeAt[slot] < freeAt[soonest]) soonest = slot;
    starts.push(freeAt[soonest]);
    freeAt[soonest] += typicalMs;
  }
  return starts;
}
