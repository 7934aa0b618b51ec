// One shell and the page attached to it. The shell's output goes into a bounded log with absolute
// offsets and from there to the page, never more than the high-water mark ahead of what the page has
// acknowledged writing to its screen; past that the shell is paused, so a flood (`yes`) neither
// freezes the page nor grows the server's memory. A page that drops and comes back within the detach
// window resumes the same shell from the first byte it had not seen.
import type { Shell, TerminalSize } from '../sandbox/workstation-host';
import { OutputLog } from './output-log';
import type { TerminalLimits } from './terminal-limits';
import { CLOSE_CODES, type ServerMessage } from './terminal-protocol';

/** The page's end of the connection, as the session needs it. */
export interface TerminalClient {
  /** Sends output; `sent` is called once the bytes left the server's buffers for the socket. */
  sendBytes(data: Buffer, sent: () => void): void;
  sendMessage(message: ServerMessage): void;
  /** Bytes queued in the server for this client and not yet handed to the network. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

/** A shell with its output log, attached to at most one page at a time. */
export class ShellSession {
  private readonly log: OutputLog;
  private client: TerminalClient | null = null;
  /** Absolute offset of the next byte to send to the attached client. */
  private sent = 0;
  /** Absolute offset up to which a client has written the output to its screen. */
  private acked = 0;
  private paused = false;
  private exitCode: number | null | undefined;
  private ended = false;
  private detachTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    readonly owner: string,
    private readonly shell: Shell,
    private readonly limits: TerminalLimits,
    private readonly onEnd: (session: ShellSession) => void,
  ) {
    this.log = new OutputLog(limits.logBytes);
    shell.onData((chunk) => {
      this.log.append(chunk);
      this.regulate();
      this.pump();
    });
    shell.onExit((code) => {
      this.exitCode = code;
      this.pump();
      // Nobody may ever come back to read the end: the detach window still applies.
      if (!this.client) this.armDetachTimer();
    });
    this.armDetachTimer();
  }

  /** True while a page is attached. */
  get attached(): boolean {
    return this.client !== null;
  }

  /** True once the shell has exited (its last output may still be on its way to the page). */
  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Output offsets, for tests and logs: what the log holds and what the page has acknowledged. */
  stats(): { start: number; end: number; sent: number; acked: number; paused: boolean } {
    return { start: this.log.start, end: this.log.end, sent: this.sent, acked: this.acked, paused: this.paused };
  }

  /**
   * Attaches a page that has seen the output up to `offset` (a new page: 0). It gets the output from
   * there on, or from the oldest byte still held when that is later; `ready` tells it which.
   */
  attach(client: TerminalClient, offset = 0): void {
    if (this.ended) {
      client.sendMessage({ type: 'error', message: 'this shell has ended' });
      client.close(CLOSE_CODES.ended, 'ended');
      return;
    }
    clearTimeout(this.detachTimer);
    const previous = this.client;
    this.client = client;
    if (previous) {
      previous.sendMessage({ type: 'error', message: 'this terminal was opened in another tab' });
      previous.close(CLOSE_CODES.replaced, 'replaced');
    }
    const from = Math.min(Math.max(offset, this.log.start), this.log.end);
    this.sent = from;
    this.acked = Math.max(this.acked, from);
    client.sendMessage({ type: 'ready', session: this.id, offset: from });
    this.regulate();
    this.pump();
  }

  /** The page went away (the connection closed); the shell waits for it for the detach window. */
  detach(client: TerminalClient): void {
    if (this.client !== client) return;
    this.client = null;
    this.armDetachTimer();
  }

  input(client: TerminalClient, data: Buffer): void {
    if (this.client === client && !this.exited) this.shell.write(data);
  }

  resize(client: TerminalClient, size: TerminalSize): void {
    if (this.client === client && !this.exited) this.shell.resize(size);
  }

  /** The page has written everything before `offset` to its screen. */
  ack(client: TerminalClient, offset: number): void {
    if (this.client !== client || offset <= this.acked || offset > this.sent) return;
    this.acked = offset;
    this.regulate();
    this.pump();
  }

  /** Ends the shell (if it still runs) and the session; the attached page is told and closed. */
  end(reason?: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.detachTimer);
    if (!this.exited) this.shell.close();
    if (this.client) {
      if (reason) this.client.sendMessage({ type: 'error', message: reason });
      this.client.sendMessage({ type: 'exit', code: this.exitCode ?? null });
      this.client.close(CLOSE_CODES.ended, 'ended');
      this.client = null;
    }
    this.onEnd(this);
  }

  /** Sends the client what it may receive now, within the window and the socket's buffer. */
  private pump(): void {
    const client = this.client;
    if (!client) return;
    while (
      this.sent < this.log.end &&
      this.sent - this.acked < this.limits.highWaterBytes &&
      client.bufferedAmount() < this.limits.highWaterBytes
    ) {
      const [piece] = this.log.readFrom(this.sent, this.limits.frameBytes);
      this.sent += piece.length;
      // A frame leaving the buffer may make room for the next: the window is checked again then.
      client.sendBytes(piece, () => {
        this.regulate();
        this.pump();
      });
    }
    if (this.exited && this.sent === this.log.end && !this.ended) {
      this.end();
    }
  }

  /** Pauses the shell while the page is too far behind, and lets it run again once it caught up. */
  private regulate(): void {
    const behind = this.log.end - this.acked;
    const buffered = this.client?.bufferedAmount() ?? 0;
    if (!this.paused && (behind >= this.limits.highWaterBytes || buffered >= this.limits.highWaterBytes)) {
      this.paused = true;
      this.shell.pause();
    } else if (this.paused && behind <= this.limits.lowWaterBytes && buffered <= this.limits.lowWaterBytes) {
      this.paused = false;
      this.shell.resume();
    }
  }

  private armDetachTimer(): void {
    clearTimeout(this.detachTimer);
    this.detachTimer = setTimeout(() => this.end(), this.limits.detachedMs);
    this.detachTimer.unref();
  }
}
