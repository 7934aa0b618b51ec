// A scripted shell and a scripted page for the tests of ShellSession: the test writes the shell's output
// and sees what the page was sent, with small limits that a test can reach.
import type { Shell, TerminalSize } from '../sandbox/workstation-host';
import { ShellSession, type TerminalClient } from './shell-session';
import type { TerminalLimits } from './terminal-limits';
import type { ServerMessage } from './terminal-protocol';

/** One KiB, in bytes. */
export const KiB = 1024;

/** Small limits: a test passes the high-water mark with a few chunks. */
export const LIMITS: TerminalLimits = {
  logBytes: 64 * KiB,
  highWaterBytes: 16 * KiB,
  lowWaterBytes: 4 * KiB,
  frameBytes: 1 * KiB,
  messageBytes: 4 * KiB,
  pendingInputBytes: 1 * KiB,
  detachedMs: 60_000,
  sessionsPerLearner: 2,
  sessions: 10,
  maxCols: 500,
  maxRows: 200,
};

/** A shell whose output the test writes; like a real one it stops writing while paused. */
export class ScriptedShell implements Shell {
  paused = false;
  closed = false;
  readonly input: Buffer[] = [];
  readonly sizes: TerminalSize[] = [];
  private dataListeners: ((chunk: Buffer) => void)[] = [];
  private exitListeners: ((code: number | null) => void)[] = [];
  private resumed: (() => void) | null = null;

  onData(listener: (chunk: Buffer) => void) {
    this.dataListeners.push(listener);
  }
  onExit(listener: (code: number | null) => void) {
    this.exitListeners.push(listener);
  }
  write(data: Buffer) {
    this.input.push(data);
  }
  resize(size: TerminalSize) {
    this.sizes.push(size);
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
    this.resumed?.();
  }
  close() {
    this.closed = true;
    this.exit(129);
  }
  emit(chunk: Buffer) {
    for (const listener of this.dataListeners) listener(chunk);
  }
  exit(code: number | null) {
    for (const listener of this.exitListeners) listener(code);
  }
  /** Writes `total` bytes of a numbered pattern in chunks, waiting whenever it is paused. */
  async produce(total: number, chunk = 4 * KiB): Promise<Buffer> {
    const all = Buffer.alloc(total);
    for (let i = 0; i < total; i++) all[i] = (i * 7 + (i >> 10)) % 251;
    for (let at = 0; at < total; at += chunk) {
      while (this.paused) await new Promise<void>((resolve) => (this.resumed = resolve));
      this.emit(all.subarray(at, Math.min(total, at + chunk)));
    }
    return all;
  }
}

/** A page: records what it gets; its socket hands frames on at once unless `stuck`. */
export class ScriptedPage implements TerminalClient {
  readonly frames: Buffer[] = [];
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  stuck = 0;
  private waiters: (() => void)[] = [];

  sendBytes(data: Buffer, sent: () => void) {
    this.frames.push(Buffer.from(data));
    setImmediate(sent);
    this.wake();
  }
  sendMessage(message: ServerMessage) {
    this.messages.push(message);
    this.wake();
  }
  bufferedAmount() {
    return this.stuck;
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
    this.wake();
  }
  get received(): number {
    return this.frames.reduce((sum, frame) => sum + frame.length, 0);
  }
  get ready(): Extract<ServerMessage, { type: 'ready' }> | undefined {
    return this.messages.find((message) => message.type === 'ready') as
      Extract<ServerMessage, { type: 'ready' }> | undefined;
  }
  /** Resolves once `check` holds, re-checked whenever something arrives. */
  async until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  private wake() {
    const waiters = this.waiters.splice(0);
    for (const resolve of waiters) resolve();
  }
}

/** A session of the scripted shell, with the test's limits unless others are given. */
export function session(
  shell: Shell,
  limits: TerminalLimits = LIMITS,
  onEnd: (ended: ShellSession) => void = () => undefined,
) {
  return new ShellSession('s-test-0001', 'learner-a', shell, limits, onEnd);
}
