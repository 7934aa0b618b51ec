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
