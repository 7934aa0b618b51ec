// How big a machine a class needs, from what a run costs on this lab's own engine (`npm run bench` (j)):
// when the whole room presses Run together, the machine's cores work through the room's runs, and a
// learner's result comes about when the work ahead of theirs is done: the 95th percentile learner's
// after 95 % of the room's CPU-seconds, shared by the cores. Never sooner than one run alone takes (its
// scenario's waits take no CPU). Checked against the bench's load tests (i) in scripts/sizing.ts.

/** What one run of an exercise costs, as measured. */
export interface RunCost {
  /** CPU-seconds the whole machine spends per run (the lab, the engine, the container). */
  cpuSeconds: number;
  /** How long one run takes alone, in seconds. */
  aloneSeconds: number;
}

/** A class and what it wants. */
export interface ClassSize {
  learners: number;
  /** The time to result the class should see at the 95th percentile, in seconds. */
  targetP95Seconds: number;
}

/** The machine a class needs. */
export interface Sizing {
  cores: number;
  /** Memory for the runs at once (a slot per half core, as the lab sizes itself) and the lab with its engine. */
  memoryGiB: number;
  /** The time to result at the 95th percentile on that many cores, in seconds. */
  p95Seconds: number;
  /** When even many cores cannot meet the target: the run alone takes longer. */
  unreachable?: string;
}

/** What the lab server and the engine take besides the runs (measured: 326 MiB RSS with 40 learners, plus dockerd). */
export const BASE_MEMORY_MIB = 768;

/** The 95th percentile time to result of `learners` pressing Run at once on `cores` cores. */
export function p95Seconds(cost: RunCost, learners: number, cores: number): number {
  return Math.max(cost.aloneSeconds, (Math.ceil(0.95 * learners) * cost.cpuSeconds) / cores);
}

/**
 * The fewest cores (and the memory) for `size`, on machines like the measured one; at most 256 cores. A target
 * shorter than a run alone is sized for the run's length, and says so.
 */
export function sizeFor(cost: RunCost, size: ClassSize, runMemoryMiB: number): Sizing {
  // A target under a run's own length cannot be met: size for the run's length instead.
  const goal = Math.max(size.targetP95Seconds, cost.aloneSeconds);
  let cores = 1;
  while (cores < 256 && p95Seconds(cost, size.learners, cores) > goal) cores++;
  const p95 = p95Seconds(cost, size.learners, cores);
  const slots = Math.min(2 * cores, size.learners);
  return {
    cores,
    memoryGiB: Math.ceil(((slots * runMemoryMiB + BASE_MEMORY_MIB) / 1024) * 2) / 2,
    p95Seconds: Number(p95.toFixed(1)),
    ...(p95 > size.targetP95Seconds
      ? {
          unreachable: `a run alone takes ${cost.aloneSeconds} s; no number of cores brings the p95 under ${size.targetP95Seconds} s`,
        }
      : {}),
  };
}
