// The lab's settings from the environment, validated once at start-up. Every setting has an embedded
// default, so `npm start` needs none.
import { z } from 'zod';

const ConfigSchema = z.object({
  /** Port of the web server. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Interface to listen on; all interfaces by default. */
  HOST: z.string().min(1).optional(),
  /** The Docker engine: unix:///path or tcp://host:port; the default socket when unset. */
  DOCKER_HOST: z
    .string()
    .regex(/^(unix|tcp):\/\//, 'DOCKER_HOST must start with unix:// or tcp://')
    .optional(),
  /** A learner's workstation (the terminal's container) is removed after this long without input or a new connection. */
  LAB_WORKSTATION_IDLE_MS: z.coerce.number().int().min(1000).default(30 * 60_000),
  /** Most workstations at once on this server; past it a new learner's terminal is refused until one is idle long enough to go. */
  LAB_MAX_WORKSTATIONS: z.coerce.number().int().min(1).default(64),
  /** Runs building or running at once; sized from the machine's cores and free memory when unset. */
  LAB_MAX_RUNS: z.coerce.number().int().min(1).optional(),
  /** Memory one run may take (its build's limit), for sizing LAB_MAX_RUNS from free memory. */
  LAB_RUN_MEMORY_MB: z.coerce.number().int().min(64).default(512),
  /** Runs that may wait for a slot; past it a new run is refused with 503. 25 per slot when unset. */
  LAB_MAX_QUEUE: z.coerce.number().int().min(0).optional(),
  /** Runs (and incidents) a learner may start per minute. */
  LAB_RUNS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Other writes (draft saves, names, solutions) a learner may make per minute. */
  LAB_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Workshops that may be created per hour from one address (the whole lab takes at most 60 an hour). */
  LAB_WORKSHOPS_PER_HOUR: z.coerce.number().int().min(1).max(60).default(10),
  /** How long a short call to the Docker engine may take before it is given up with a clear error. */
  LAB_ENGINE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Log level: debug, info, warn, error or silent. */
  LAB_LOG: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

/** The validated settings. */
export type Config = z.infer<typeof ConfigSchema>;

/** Reads and validates the environment; throws one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}
