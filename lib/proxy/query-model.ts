// Query parameters as models: each call names the parameters it passes on and what each may hold; the
// query sent to the engine is built from those values alone, in the engine's own spelling.
import type { Refusal } from './refusal';

/** What a parameter may hold: a boolean, an integer in a range, a value matching a pattern, or one of a set. */
export type ParamSpec = 'bool' | { int: [number, number] } | RegExp | readonly string[];

/** The parameters a call accepts. */
export type QuerySpec = Record<string, ParamSpec>;

/** As the engine reads a boolean parameter (httputils.BoolValue). */
export function boolParam(value: string | null): boolean {
  const text = (value ?? '').trim().toLowerCase();
  return !(text === '' || text === '0' || text === 'no' || text === 'false' || text === 'none');
}

/**
 * The engine's query for the learner's: the first value of each known parameter (as the engine reads
 * it), checked, in the engine's spelling. Parameters the spec does not name are left out.
 */
export function buildQuery(query: URLSearchParams, spec: QuerySpec): { query: URLSearchParams } | { refusal: Refusal } {
  const out = new URLSearchParams();
  for (const [name, rule] of Object.entries(spec)) {
    const value = query.get(name);
    if (value === null) continue;
    if (rule === 'bool') {
      out.set(name, boolParam(value) ? '1' : '0');
    } else if (rule instanceof RegExp) {
      if (!rule.test(value))
        return {
          refusal: { status: 400, message: `invalid value for ${name}: ${JSON.stringify(value.slice(0, 80))}` },
        };
      out.set(name, value);
    } else if (Array.isArray(rule)) {
      if (!rule.includes(value))
        return {
          refusal: {
            status: 400,
            message: `invalid value for ${name}: ${JSON.stringify(value.slice(0, 80))} (one of ${rule.join(', ')})`,
          },
        };
      out.set(name, value);
    } else {
      const {
        int: [min, max],
      } = rule as { int: [number, number] };
      if (value.trim() === '') continue;
      if (!/^-?\d{1,12}$/.test(value.trim()))
        return {
          refusal: {
            status: 400,
            message: `invalid value for ${name}: ${JSON.stringify(value.slice(0, 80))} is not a number`,
          },
        };
      out.set(name, String(Math.min(Math.max(Number(value), min), max)));
    }
  }
  return { query: out };
}

/** A Docker timestamp or duration as `--since`/`--until` take them (seconds, RFC 3339, or relative like 10m). */
export const TIME_PARAM = /^[0-9A-Za-z.:+-]{1,40}$/;
/** A signal name or number. */
export const SIGNAL_PARAM = /^(SIG)?[A-Za-z0-9+-]{1,16}$/;
/** `--detach-keys`: ctrl-x, a, comma-separated. */
export const DETACH_KEYS_PARAM = /^[a-zA-Z0-9@[\\\]^_,-]{1,32}$/;
/** Columns `docker top -o` may show. */
const PS_COLUMNS = [
  'pid',
  'ppid',
  'pgid',
  'sid',
  'uid',
  'user',
  'gid',
  'stat',
  'state',
  's',
  'time',
  'etime',
  'cmd',
  'args',
  'comm',
  '%cpu',
  '%mem',
  'rss',
  'vsz',
  'tty',
  'nlwp',
  'stime',
  'lstart',
].join('|');
// PID first: the engine reads each line's PID by its column number, and a column with spaces before
// it (args) shifted that number onto a word of another host process, which its error then quoted.
const PS_OUTPUT = `-o pid(?:,(?:${PS_COLUMNS}))*`;

/**
 * `docker top` options, which the engine passes to `ps` on the host and then filters by the
 * container's PIDs: option letters that select no other processes (`aux`, `-ef`) and an output format
 * of listed columns, PID first. `-p`, `--sort` or a column before the PID made the engine's parse
 * error quote other host processes' command lines.
 */
export const PS_ARGS_PARAM = new RegExp(`^(?:-?[aefjluxwH]{1,6}(?: ${PS_OUTPUT})?|${PS_OUTPUT})?$`);
