// Values the lab draws for each run of a scenario (a crash code, a token a probe sends), so that an
// answer cannot be met by a hard-coded value. They reach the container as environment variables and
// stand for `${NAME}` in the scenario's steps and in its checks; the learner is told them in the result.
import crypto from 'node:crypto';
import type { RunSettings } from './run-settings-schema';

/** How a value is drawn: an integer in a range (some values left out), or a random token. */
export type DrawSpec = ({ between: [number, number]; except?: number[] } | { token: true }) & { env?: false };

/** The values of one run of a scenario, by name. */
export type DrawnValues = Record<string, string>;

/** Draws every value; `randomInt` can be given for tests. */
export function drawValues(specs: Record<string, DrawSpec>, randomInt: (min: number, max: number) => number = crypto.randomInt): DrawnValues {
  const values: DrawnValues = {};
  for (const [name, spec] of Object.entries(specs)) {
    if ('token' in spec) {
      values[name] = Array.from({ length: 12 }, () => '0123456789abcdef'[randomInt(0, 16)]).join('');
      continue;
    }
    const [min, max] = spec.between;
    const allowed = Array.from({ length: max - min + 1 }, (_, i) => min + i).filter((value) => !spec.except?.includes(value));
    values[name] = String(allowed[randomInt(0, allowed.length)]);
  }
  return values;
}

const REFERENCE = /\$\{([A-Z][A-Z0-9_]*)\}/g;

/** The names a text refers to with `${NAME}`. */
export function referencesIn(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((match) => match[1]);
}

/** Every string inside `value` with `${NAME}` replaced by its drawn value (unknown names left as they are). */
export function withDrawnValues<T>(value: T, values: DrawnValues): T {
  if (typeof value === 'string') return value.replace(REFERENCE, (whole, name: string) => values[name] ?? whole) as T;
  if (Array.isArray(value)) return value.map((item) => withDrawnValues(item, values)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withDrawnValues(item, values)])) as T;
  return value;
}

/**
 * A scenario's run settings for one run: the drawn values added to its environment (but those drawn with
 * `env: false`) and put in place in its Pod-spec `command` and `args` and its memory limit (the
 * environment's own values are taken as written).
 */
export function runSettingsWith(run: RunSettings, values: DrawnValues, specs: Record<string, DrawSpec> = {}): RunSettings {
  const env = Object.fromEntries(Object.entries(values).filter(([name]) => specs[name]?.env !== false));
  return {
    ...run,
    env: { ...run.env, ...env },
    ...(run.command ? { command: withDrawnValues(run.command, values) } : {}),
    ...(run.args ? { args: withDrawnValues(run.args, values) } : {}),
    ...(run.memoryMb !== undefined ? { memoryMb: Number(withDrawnValues(String(run.memoryMb), values)) } : {}),
  };
}

/** The run limits with a scenario's memory limit applied: it only ever lowers the sandbox's. */
export function withMemoryLimit<T extends { memoryBytes: number }>(limits: T, memoryMb: RunSettings['memoryMb']): T {
  const mb = Number(memoryMb);
  return Number.isInteger(mb) && mb > 0 ? { ...limits, memoryBytes: Math.min(limits.memoryBytes, mb * 1024 * 1024) } : limits;
}
