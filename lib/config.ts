// The lab's settings: every variable of the README's settings table, validated once, read through
// `config()`. Every setting has an embedded default, so `npm start` needs none; a value that is set but
// wrong stops start-up with a message naming the variable and what it accepts (never a silent fallback).
import { z } from 'zod';

/** A whole number in [min, max], given as text in the environment. */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  const accepts = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, accepts)
    .transform(Number)
    .refine((value) => value >= min && value <= max, accepts);
}

/** A positive decimal number (e.g. CPUs), given as text. */
function positiveNumber(max: number) {
  const accepts = `a number above 0 and at most ${max}`;
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, accepts)
    .transform(Number)
    .refine((value) => value > 0 && value <= max, accepts);
}

/** Go's duration syntax, as the engine's prune filter `until` reads it: `24h`, `90m`, `1h30m`. */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

const ConfigSchema = z.object({
  PORT: wholeNumber(1, 65535).default(3000),
  HOST: z.string().optional(),
  DOCKER_HOST: z
    .string()
    .regex(/^(unix|tcp):\/\/./, 'unix:///path/to/socket or tcp://host:port')
    .optional(),
  /** `top` samples with `docker top` even on a local engine (how a remote engine is sampled). */
  LAB_SAMPLER: z.enum(['proc', 'top']).default('proc'),
  LAB_LOG: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LAB_MAX_RUNS: wholeNumber(1).optional(),
  LAB_RUN_MEMORY_MB: wholeNumber(64).default(512),
  LAB_MAX_QUEUE: wholeNumber(0).optional(),
  LAB_RUNS_PER_MINUTE: wholeNumber(1).default(10),
  LAB_WRITES_PER_MINUTE: wholeNumber(1).default(120),
  LAB_ENGINE_TIMEOUT_MS: wholeNumber(100).default(30_000),
  LAB_REAP_INTERVAL_MS: wholeNumber(1000).default(5 * 60_000),
  LAB_SIGNAL_TRACE: z.enum(['on', 'off']).default('on'),
  LAB_BUILD_CGROUP_PARENT: z
    .string()
    .regex(/^\/[\w./-]+$/, 'an absolute cgroup path such as /lab-builds')
    .optional(),
  LAB_BUILD_CACHE_MAX_AGE: z.string().regex(GO_DURATION, 'a duration such as 24h, 90m or 1h30m').default('24h'),
  LAB_STUCK_IDLE_MIN: wholeNumber(1).default(10),
  LAB_WORKSHOPS_PER_HOUR: wholeNumber(1, 60).default(10),
  LAB_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  LAB_WORKSTATION_IDLE_MS: wholeNumber(1000).default(30 * 60_000),
  LAB_MAX_WORKSTATIONS: wholeNumber(1).default(64),
  LAB_TERMINAL_MAX_CONTAINERS: wholeNumber(1).default(8),
  LAB_TERMINAL_MAX_IMAGES: wholeNumber(1).default(8),
  LAB_TERMINAL_MAX_IMAGE_MB: wholeNumber(1).default(512),
  LAB_TERMINAL_MAX_BUILDS: wholeNumber(1).default(1),
  LAB_TERMINAL_MAX_CONTEXT_MB: wholeNumber(1, 1024).default(16),
  LAB_BUILD_CACHE_MB: wholeNumber(64).default(2048),
  LAB_LEARNER_MEMORY_MB: wholeNumber(64).default(512),
  LAB_LEARNER_PIDS: wholeNumber(16).default(256),
  LAB_LEARNER_CPUS: positiveNumber(256).default(1),
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'file:<path> (SQLite) or postgres://user:password@host/db (PostgreSQL)')
    .default('file:./data/lab.db'),
  LAB_CHROMIUM: z.string().startsWith('/', 'an absolute path to a Chromium binary').default('/usr/bin/chromium'),
  LAB_CELL: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a name of lower-case letters, digits and dashes, at most 40')
    .optional(),
});

/** The validated settings. */
export type Config = z.infer<typeof ConfigSchema>;

/** The names of every setting, in the order of the README's table. */
export const SETTING_NAMES = Object.keys(ConfigSchema.shape) as (keyof Config)[];

/** A setting that is set but not valid: start-up stops with its message. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** A cell of a lab of several shares the database and the secret that signs learners' cookies with the others. */
function cellProblems(settings: Config): string[] {
  if (!settings.LAB_CELL) return [];
  const name = `LAB_CELL=${JSON.stringify(settings.LAB_CELL)}`;
  return [
    ...(/^postgres(ql)?:\/\//.test(settings.DATABASE_URL)
      ? []
      : [
          `${name} needs DATABASE_URL to name a PostgreSQL database: the cells of one lab share it (SQLite is for one lab server alone)`,
        ]),
    ...(settings.LAB_SECRET
      ? []
      : [`${name} needs LAB_SECRET, the same on every cell: a learner's cookie from one cell must hold on another`]),
  ];
}

/** Reads and validates the settings of `env`; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // A variable set to the empty string counts as unset, as shells and compose files write it.
  const given = Object.fromEntries(SETTING_NAMES.map((name) => [name, env[name] === '' ? undefined : env[name]]));
  const parsed = ConfigSchema.safeParse(given);
  if (parsed.success) {
    const cell = cellProblems(parsed.data);
    if (cell.length) throw new ConfigError(cell);
    return parsed.data;
  }
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = given[name];
    return value === undefined
      ? `${name}: ${issue.message}`
      : `${name}=${JSON.stringify(value)} is not valid: expected ${issue.message}`;
  });
  throw new ConfigError([...new Set(problems)]);
}

const holder = globalThis as unknown as { __labConfig?: Config };

/**
 * The settings of this process, read from its environment the first time they are asked for (the
 * server asks first thing at start-up; route bundles share the same parse through globalThis).
 */
export function config(): Config {
  holder.__labConfig ??= loadConfig();
  return holder.__labConfig;
}
