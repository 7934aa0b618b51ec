// What an exit code means. A process killed by signal n is reported by Docker (and by shells) as
// 128 + n: 137 is SIGKILL (often `docker stop` running out of patience, or the OOM killer), 143 is SIGTERM.
import type { EventOf } from './timeline-event';

const SIGNAL_NAMES: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};

/** The signal behind an exit code of 128+n, when n is a known signal. */
export function signalFromExitCode(code: number): string | undefined {
  return code > 128 && code < 160 ? SIGNAL_NAMES[code - 128] : undefined;
}

/** The name of signal number n ("SIGTERM"), or "signal n" for one without a name here. */
export function signalName(n: number): string {
  return SIGNAL_NAMES[n] ?? `signal ${n}`;
}

/** The number of a signal name such as SIGTERM. */
export function signalNumber(name: string): number {
  const entry = Object.entries(SIGNAL_NAMES).find(([, value]) => value === name);
  if (!entry) throw new Error(`unknown signal ${name}`);
  return Number(entry[0]);
}

/** What the two codes shells (and Docker, for an exec-form command) give before a program runs mean. */
const NOT_RUN: Record<number, string> = {
  126: 'a command found but not run (not executable, or permission denied)',
  127: 'command not found (no such program, or its interpreter is missing)',
};

/** The words for a code that is not 0 and not a signal's: what `who` (the program, or its shell) reported. */
export function failureWords(code: number, who = 'the process'): string {
  return NOT_RUN[code] ?? `${who} reported failure`;
}

/** A short explanation of an exit, for reports and the timeline. */
export function describeExit(code: number, oomKilled = false): string {
  if (oomKilled) return `${code} = killed by the kernel's OOM killer (memory limit reached)`;
  if (code === 0) return '0 = success';
  const signal = signalFromExitCode(code);
  if (signal) return `${code} = killed by ${signal} (128 + ${code - 128})`;
  return `${code} = ${failureWords(code)}`;
}

/** What a container killed at its disk limit had written, against the limit it passed. */
export function describeDiskUse(
  event: Pick<EventOf<'disk-limit'>, 'bytes' | 'files' | 'limitBytes' | 'limitFiles'>,
): string {
  const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;
  if (event.files !== undefined && event.files > event.limitFiles)
    return `more than ${event.limitFiles} files written (the limit)`;
  return `${mib(event.bytes)} written, more than the ${mib(event.limitBytes)} a container may write`;
}
