// How many runs this machine takes at once and how many may wait, from its cores and free memory
// unless the settings say otherwise.
import os from 'node:os';
import { config, type Config } from '../config';
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
export function capacityFor(
  machine: Machine,
  settings: Pick<Config, 'LAB_MAX_RUNS' | 'LAB_RUN_MEMORY_MB' | 'LAB_MAX_QUEUE'>,
): RunCapacity {
  const byCores = 2 * machine.cores;
  const byMemory = Math.floor(machine.availableBytes / (settings.LAB_RUN_MEMORY_MB * MiB));
  const slots = settings.LAB_MAX_RUNS ?? Math.max(1, Math.min(byCores, byMemory));
  const basis = settings.LAB_MAX_RUNS
    ? 'LAB_MAX_RUNS'
    : byMemory < byCores
      ? `${Math.round(machine.availableBytes / MiB)} MiB available / ${settings.LAB_RUN_MEMORY_MB} MiB per run`
      : `2 × ${machine.cores} cores`;
  return { slots, maxWaiting: settings.LAB_MAX_QUEUE ?? WAITING_PER_SLOT * slots, basis };
}

/** Slots sized for this machine from the settings; the sizing is logged. */
export function createRunSlots(settings: Config = config()): RunSlots {
  const capacity = capacityFor(thisMachine(), settings);
  log.info('Run capacity', { slots: capacity.slots, maxWaiting: capacity.maxWaiting, basis: capacity.basis });
  return new RunSlots(capacity.slots, { maxWaiting: capacity.maxWaiting });
}

let standalone: RunSlots | undefined;

/**
 * The slots of runs started outside the lab server (the command line, check-lessons, benchmarks,
 * tests), one pool per process. The server passes its own (lib/services.ts) to everything it starts.
 */
export function standaloneRunSlots(): RunSlots {
  standalone ??= createRunSlots();
  return standalone;
}
