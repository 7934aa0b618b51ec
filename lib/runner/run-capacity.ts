// How many runs this machine takes at once and how many may wait, from its cores and free memory
// unless the settings say otherwise; and the slots every run of this process shares.
import os from 'node:os';
import { loadConfig, type Config } from '../config';
import { log } from '../log';
import { RunSlots } from './run-slots';

const MiB = 1024 * 1024;

/** Runs that may wait per slot when LAB_MAX_QUEUE is unset: with ~3 s runs, about a minute and a half of queue. */
const WAITING_PER_SLOT = 25;

/** What the sizing reads of the machine. */
export interface Machine {
  cores: number;
  /** Memory available to new processes (MemAvailable, or what is left under this process's cgroup limit). */
  availableBytes: number;
}

/** Runs at once and runs waiting. */
export interface RunCapacity {
  slots: number;
  maxWaiting: number;
  /** Why that many slots, for the log. */
  basis: string;
}

/** This machine as the sizing sees it. */
export function thisMachine(): Machine {
  const limit = process.constrainedMemory?.() ?? 0;
  const constrained = limit > 0 && limit < os.totalmem() ? Math.max(0, limit - process.memoryUsage.rss()) : Infinity;
  return { cores: os.availableParallelism(), availableBytes: Math.min(os.freemem(), constrained) };
}

/** Slots = LAB_MAX_RUNS, else min(2 × cores, available memory / LAB_RUN_MEMORY_MB), at least 1. */
export function capacityFor(machine: Machine, config: Pick<Config, 'LAB_MAX_RUNS' | 'LAB_RUN_MEMORY_MB' | 'LAB_MAX_QUEUE'>): RunCapacity {
  const byCores = 2 * machine.cores;
  const byMemory = Math.floor(machine.availableBytes / (config.LAB_RUN_MEMORY_MB * MiB));
  const slots = config.LAB_MAX_RUNS ?? Math.max(1, Math.min(byCores, byMemory));
  const basis = config.LAB_MAX_RUNS
    ? 'LAB_MAX_RUNS'
    : byMemory < byCores
      ? `${Math.round(machine.availableBytes / MiB)} MiB available / ${config.LAB_RUN_MEMORY_MB} MiB per run`
      : `2 × ${machine.cores} cores`;
  return { slots, maxWaiting: config.LAB_MAX_QUEUE ?? WAITING_PER_SLOT * slots, basis };
}

const holder = globalThis as unknown as { __labRunSlots?: RunSlots };

/**
 * The slots every run, incident and terminal build of this process shares: one for the custom server
 * and every route Next.js compiled, sized once, at first use.
 */
export function defaultRunSlots(): RunSlots {
  if (!holder.__labRunSlots) {
    const capacity = capacityFor(thisMachine(), loadConfig());
    log.info('Run capacity', { slots: capacity.slots, maxWaiting: capacity.maxWaiting, basis: capacity.basis });
    holder.__labRunSlots = new RunSlots(capacity.slots, { maxWaiting: capacity.maxWaiting });
  }
  return holder.__labRunSlots;
}
