// The page's end of the terminal socket, without React: connects (and reconnects with backoff,
// resuming the same shell from the first byte not yet seen), acknowledges output once it is on the
// screen so the server may send more, and reports its state.
import { CLOSE_CODES, TERMINAL_PATH, type ServerMessage } from '@/lib/terminal/terminal-protocol';

/** What the status line shows. */
export type TerminalStatus =
  | { phase: 'connecting' }
  | { phase: 'ready' }
  | { phase: 'reconnecting'; inMs: number }
  | { phase: 'ended'; code: number | null; message?: string };

/** What the connection needs from the screen. */
export interface TerminalScreen {
  /** Writes output; `written` is called once it is on the screen. */
  write(data: Uint8Array, written: () => void): void;
  /** Prints a line of the lab's own (not the shell's). */
  notice(text: string): void;
  /** A different shell than before: the old screen is not its output. */
  reset(): void;
  size(): { cols: number; rows: number };
  status(status: TerminalStatus): void;
}

/** Acknowledge at least this often (bytes), and at the latest shortly after output stops. */
const ACK_EVERY_BYTES = 64 * 1024;
const ACK_DELAY_MS = 40;
const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];
const sessionKey = (exerciseId: string) => `lab:terminal:${exerciseId}`;

/** One terminal's connection to its shell. */
export class TerminalConnection {
  private ws: WebSocket | null = null;
  private session: string | null = null;
  /** Absolute offset of the next output byte expected, and of the last byte on the screen. */
  private received = 0;
  private written = 0;
  private acked = 0;
  private ackTimer: number | undefined;
  private retryTimer: number | undefined;
  private failures = 0;
  private disposed = false;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly exerciseId: string,
    private readonly screen: TerminalScreen,
  ) {
    // A reload of the page comes back to the same shell (within the server's detach window).
    this.session = window.sessionStorage.getItem(sessionKey(exerciseId));
  }

  /** Opens the connection (a new shell, or the one this tab had). */
  async connect(): Promise<void> {
    if (this.disposed) return;
    this.screen.status(this.failures ? { phase: 'reconnecting', inMs: 0 } : { phase: 'connecting' });
    // The socket is authenticated by the learner cookie; a first-time visitor gets theirs here.
    await fetch('/api/learner', { method: 'POST' }).catch(() => undefined);
    if (this.disposed) return;
    const { cols, rows } = this.screen.size();
    const query = new URLSearchParams({ exerciseId: this.exerciseId, cols: String(cols), rows: String(rows) });
    if (this.session) {
      query.set('session', this.session);
      query.set('offset', String(this.received));
    }
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${window.location.host}${TERMINAL_PATH}?${query}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onmessage = (event) => this.onMessage(event);
    ws.onclose = (event) => this.onClose(ws, event);
  }

  /** Sends typed text (xterm's onData) to the shell. */
  input(text: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(this.encoder.encode(text));
  }

  resize(cols: number, rows: number): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  /** Forgets the shell: the next connect starts a new one. */
  forgetSession(): void {
    this.session = null;
    this.received = this.written = this.acked = 0;
    window.sessionStorage.removeItem(sessionKey(this.exerciseId));
  }

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.ackTimer);
    window.clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'page closed');
  }

  private onMessage(event: MessageEvent) {
    if (typeof event.data !== 'string') {
      const bytes = new Uint8Array(event.data as ArrayBuffer);
      this.received += bytes.length;
      const end = this.received;
      this.screen.write(bytes, () => this.onWritten(end));
      return;
    }
    const message = JSON.parse(event.data) as ServerMessage;
    if (message.type === 'ready') {
      this.failures = 0;
      if (message.session !== this.session) {
        if (this.session) this.screen.reset();
        this.session = message.session;
        window.sessionStorage.setItem(sessionKey(this.exerciseId), message.session);
      } else if (this.received > 0 && message.offset > this.received) {
        this.screen.notice(`(${message.offset - this.received} bytes of output were lost while disconnected)`);
      }
      this.received = this.written = this.acked = message.offset;
      this.screen.status({ phase: 'ready' });
      // The size may have changed while disconnected.
      const { cols, rows } = this.screen.size();
      this.resize(cols, rows);
    } else if (message.type === 'exit') {
      this.forgetSession();
      this.screen.status({ phase: 'ended', code: message.code });
    } else if (message.type === 'error') {
      this.screen.notice(message.message);
    }
  }

  private onWritten(end: number) {
    this.written = Math.max(this.written, end);
    if (this.written - this.acked >= ACK_EVERY_BYTES) return this.ack();
    window.clearTimeout(this.ackTimer);
    this.ackTimer = window.setTimeout(() => this.ack(), ACK_DELAY_MS);
  }

  private ack() {
    window.clearTimeout(this.ackTimer);
    if (this.written <= this.acked || this.ws?.readyState !== WebSocket.OPEN) return;
    this.acked = this.written;
    this.ws.send(JSON.stringify({ type: 'ack', offset: this.acked }));
  }

  private onClose(ws: WebSocket, event: CloseEvent) {
    if (this.ws !== ws) return;
    this.ws = null;
    if (this.disposed) return;
    if (event.code === CLOSE_CODES.ended) return; // the exit message said it all
    if (event.code === CLOSE_CODES.replaced) {
      return this.screen.status({ phase: 'ended', code: null, message: 'opened in another tab' });
    }
    if (event.code === CLOSE_CODES.refused || event.code === CLOSE_CODES.failed) {
      return this.screen.status({ phase: 'ended', code: null, message: 'the lab could not open a terminal' });
    }
    // A dropped connection: come back to the same shell, sooner first, then less often.
    const inMs = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
    this.failures++;
    this.screen.status({ phase: 'reconnecting', inMs });
    this.retryTimer = window.setTimeout(() => void this.connect(), inMs);
  }
}
