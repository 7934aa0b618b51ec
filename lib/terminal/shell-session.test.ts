// A shell session with a scripted shell and page: output in order, flow control (a page that does not
// acknowledge holds the shell; one whose socket does not drain too), resume from an offset with nothing
// lost or repeated, one page at a time, the detach window, and the end of the shell.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Shell, TerminalSize } from '../sandbox/workstation-host';
import { ShellSession, type TerminalClient } from './shell-session';
import type { TerminalLimits } from './terminal-limits';
import { CLOSE_CODES, type ServerMessage } from './terminal-protocol';

const KiB = 1024;
const LIMITS: TerminalLimits = {
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
class ScriptedShell implements Shell {
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
class ScriptedPage implements TerminalClient {
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
    return this.messages.find((message) => message.type === 'ready') as Extract<ServerMessage, { type: 'ready' }> | undefined;
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

function session(shell: Shell, limits: TerminalLimits = LIMITS, onEnd: (ended: ShellSession) => void = () => undefined) {
  return new ShellSession('s-test-0001', 'learner-a', shell, limits, onEnd);
}

describe('a shell session', () => {
  test('sends a new page the output in order, after a ready message at offset 0', () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    shell.emit(Buffer.from('$ '));
    terminal.attach(page);
    shell.emit(Buffer.from('echo hi\r\nhi\r\n'));
    assert.deepEqual(page.messages[0], { type: 'ready', session: 's-test-0001', offset: 0 });
    assert.equal(Buffer.concat(page.frames).toString(), '$ echo hi\r\nhi\r\n');
    terminal.input(page, Buffer.from('ls\r'));
    terminal.resize(page, { cols: 120, rows: 40 });
    assert.deepEqual(shell.input.map(String), ['ls\r']);
    assert.deepEqual(shell.sizes, [{ cols: 120, rows: 40 }]);
    terminal.end();
  });

  test('a page that does not acknowledge gets no more than the high-water mark, and the shell is paused', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    terminal.attach(page);
    const produced = shell.produce(1024 * KiB);
    await page.until(() => shell.paused);
    assert.ok(page.received <= LIMITS.highWaterBytes, `received ${page.received} without acknowledging anything`);
    assert.ok(terminal.stats().end - terminal.stats().start <= LIMITS.logBytes);
    // Acknowledging what it wrote lets the rest through, every byte once and in order.
    while (page.received < 1024 * KiB) {
      terminal.ack(page, page.received);
      const before = page.received;
      await page.until(() => page.received > before || page.received === 1024 * KiB);
      const { sent, acked } = terminal.stats();
      assert.ok(sent - acked <= LIMITS.highWaterBytes, `${sent - acked} bytes ahead of the page`);
    }
    assert.ok(Buffer.concat(page.frames).equals(await produced));
    terminal.end();
  });

  test('a page whose socket does not drain gets nothing more, and the shell is paused', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    terminal.attach(page);
    page.stuck = LIMITS.highWaterBytes;
    void shell.produce(256 * KiB);
    // The page even acknowledges all it was sent: the socket's own buffer still holds the shell back.
    await page.until(() => {
      terminal.ack(page, terminal.stats().sent);
      return shell.paused;
    });
    assert.equal(page.received, 0);
    assert.ok(terminal.stats().end <= LIMITS.highWaterBytes + 4 * KiB, `the shell wrote ${terminal.stats().end} bytes`);
    terminal.end();
  });

  test('a page that comes back with its offset gets exactly the bytes it had not seen, from the same shell', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const first = new ScriptedPage();
    terminal.attach(first);
    const produced = shell.produce(40 * KiB);
    await first.until(() => first.received >= 10 * KiB);
    terminal.ack(first, 6 * KiB);
    const seen = first.received;
    terminal.detach(first);
    // Output goes on while nobody watches, up to the high-water mark past the acknowledged offset.
    await first.until(() => shell.paused);

    const second = new ScriptedPage();
    terminal.attach(second, seen);
    assert.deepEqual(second.ready, { type: 'ready', session: 's-test-0001', offset: seen });
    while (second.received + seen < 40 * KiB) {
      terminal.ack(second, seen + second.received);
      const before = second.received;
      await second.until(() => second.received > before);
    }
    assert.equal(seen + second.received, 40 * KiB, 'nothing repeated');
    assert.ok(Buffer.concat([...first.frames, ...second.frames]).equals(await produced), 'nothing lost, in order');
    terminal.end();
  });

  test('a page asking for bytes the log no longer holds is told where its output starts', () => {
    const shell = new ScriptedShell();
    const terminal = session(shell, { ...LIMITS, logBytes: 8 });
    shell.emit(Buffer.from('0123456789abcdef'));
    const page = new ScriptedPage();
    terminal.attach(page, 2);
    assert.deepEqual(page.ready, { type: 'ready', session: 's-test-0001', offset: 8 });
    assert.equal(Buffer.concat(page.frames).toString(), '89abcdef');
    terminal.end();
  });

  test('a second page takes the shell over; the first is told and closed, and its input is ignored', () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const first = new ScriptedPage();
    const second = new ScriptedPage();
    terminal.attach(first);
    terminal.attach(second);
    assert.equal(first.closed?.code, CLOSE_CODES.replaced);
    assert.ok(first.messages.some((message) => message.type === 'error'));
    terminal.input(first, Buffer.from('nope'));
    terminal.input(second, Buffer.from('yes'));
    assert.deepEqual(shell.input.map(String), ['yes']);
    terminal.end();
  });

  test('a shell nobody comes back to is ended after the detach window', async () => {
    const shell = new ScriptedShell();
    let ended!: () => void;
    const gone = new Promise<void>((resolve) => (ended = resolve));
    const terminal = session(shell, { ...LIMITS, detachedMs: 30 }, () => ended());
    const page = new ScriptedPage();
    terminal.attach(page);
    terminal.detach(page);
    // The session's timer does not hold the process open (a server exits without waiting for it): this does.
    const keepAlive = setInterval(() => undefined, 1_000);
    await gone;
    clearInterval(keepAlive);
    assert.equal(shell.closed, true);
  });

  test('when the shell exits, the page gets its last output, then the exit code, then a normal close', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    terminal.attach(page);
    shell.emit(Buffer.from('logout\r\n'));
    shell.exit(3);
    await page.until(() => page.closed !== null);
    assert.equal(Buffer.concat(page.frames).toString(), 'logout\r\n');
    assert.deepEqual(page.messages.at(-1), { type: 'exit', code: 3 });
    assert.equal(page.closed?.code, CLOSE_CODES.ended);
  });

  test('acknowledgements of bytes never sent are ignored', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    terminal.attach(page);
    shell.emit(Buffer.from('abc'));
    terminal.ack(page, 1_000_000);
    assert.equal(terminal.stats().acked, 0);
    terminal.ack(page, 3);
    assert.equal(terminal.stats().acked, 3);
    terminal.end();
  });
});
