// The lab's log: one line per event, with the ids it concerns. The server logs to stdout (as its own
// lessons teach); the command line sends logs to stderr so that stdout carries only its report.

import { config } from './config';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let destination: NodeJS.WritableStream = process.stdout;
/** Set by configureLog; until then LAB_LOG decides (info where the settings are not valid: start-up says why). */
let threshold: number | undefined;

function levelThreshold(level: Level | 'silent'): number {
  return level === 'silent' ? Infinity : ORDER[level];
}

function currentThreshold(): number {
  if (threshold === undefined) {
    try {
      threshold = levelThreshold(config().LAB_LOG);
    } catch {
      threshold = ORDER.info;
    }
  }
  return threshold;
}

/** Where log lines go, and the lowest level written ('silent' for none). */
export function configureLog(options: { stream?: NodeJS.WritableStream; level?: Level | 'silent' }): void {
  if (options.stream) destination = options.stream;
  if (options.level) threshold = levelThreshold(options.level);
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (ORDER[level] < currentThreshold()) return;
  const extra = fields
    ? ' ' +
      Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ')
    : '';
  destination.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}${extra}\n`);
}

/** The lab's logger. */
export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
