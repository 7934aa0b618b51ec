// The lab's HEALTHCHECK policy: every check is an exec the engine runs in the container, so a 1 ms
// interval had the daemon run about eight execs a second. Durations are read as the engine reads them
// (moby v20.10.24, vendor/.../frontend/dockerfile/instructions/parse.go parseHealthcheck and
// parseOptInterval: Go's time.ParseDuration, an empty value meaning the default).
import type { BuilderFlag } from './dockerfile-flags';

/** The shortest interval between two health checks the lab allows, in images and in containers alike. */
export const HEALTHCHECK_MIN_INTERVAL_MS = 2000;

/** The engine's own minimum for every HEALTHCHECK duration (container.MinimumDuration). */
const ENGINE_MIN_DURATION_MS = 1;

/**
 * The flags and the floor each duration gets. --interval (and --start-interval, which engines after
 * 20.10 take) set how often an exec runs, so they get the lab's floor; --timeout and --start-period do
 * not make checks more frequent and keep the engine's minimum.
 */
const DURATION_FLOORS_MS: Record<string, number> = {
  interval: HEALTHCHECK_MIN_INTERVAL_MS,
  'start-interval': HEALTHCHECK_MIN_INTERVAL_MS,
  timeout: ENGINE_MIN_DURATION_MS,
  'start-period': ENGINE_MIN_DURATION_MS,
};

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's int64 nanoseconds: a longer duration is an error to time.ParseDuration. */
const MAX_DURATION_NS = 2 ** 63 - 1;

/**
 * Go's time.ParseDuration in milliseconds (`500ms`, `1m30s`, `1.5s`, `-2s`, a bare `0`), undefined where
 * Go returns an error: no unit, an unknown unit, a dot with no digit on either side, an overflow.
 */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let totalNs = 0;
  while (rest !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest)!;
    const [whole, fraction] = [number[1], number[2]];
    if (whole === '' && !fraction) return undefined;
    rest = rest.slice(number[0].length);
    const unit = /^[^0-9.]*/.exec(rest)![0];
    if (!(unit in UNIT_NS)) return undefined;
    rest = rest.slice(unit.length);
    totalNs += Number(`${whole || '0'}.${fraction || '0'}`) * UNIT_NS[unit];
    if (totalNs > MAX_DURATION_NS) return undefined;
  }
  return (sign * totalNs) / 1e6;
}

/** Go's time.Duration.String for the floors used here: 2s, 1ms. */
function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Problems with the durations of a HEALTHCHECK's flags under the lab's policy (other flags are not looked at). */
export function healthcheckFlagProblems(flags: BuilderFlag[]): string[] {
  const problems: string[] = [];
  for (const { name, value } of flags) {
    const floor = DURATION_FLOORS_MS[name];
    if (floor === undefined) continue;
    if (value === undefined) {
      problems.push(`HEALTHCHECK --${name} needs a value, for example --${name}=30s`);
    } else if (value !== '') {
      const ms = parseGoDuration(value);
      if (ms === undefined) {
        problems.push(`HEALTHCHECK --${name}=${value} is not a duration: write it like 30s, 500ms or 1m30s`);
      } else if (ms < floor) {
        const whose = floor === HEALTHCHECK_MIN_INTERVAL_MS ? "the lab's floor" : "the engine's minimum";
        problems.push(`HEALTHCHECK --${name}=${value} is too short: ${whose} is ${formatMs(floor)}`);
      }
    }
  }
  return problems;
}
