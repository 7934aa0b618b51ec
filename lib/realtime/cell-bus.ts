// The cells of one lab (lab servers, each with its engine beside it) share one PostgreSQL database.
// What a page on one cell must learn from another cell at once (a learner's activity for the
// instructor's dashboard, an instructor's message for the learners' pages) goes through PostgreSQL's
// LISTEN/NOTIFY on one channel. A notification says only that something happened, in a small payload:
// the rows are the truth, and the pages read them (the dashboard also reads them every few seconds, so a
// notification lost while a connection was down delays it, never falsifies it).
import pg from 'pg';
import { log } from '../log';

const CHANNEL = 'lab_cells';
/** PostgreSQL refuses a payload of 8000 bytes or more; what the lab sends is far smaller. */
export const MAX_PAYLOAD_BYTES = 7_900;
const RETRY_MS = 1_000;
export const RECONNECTED = 'reconnected';

/**
 * Messages between cells by topic; a cell does not hear its own (it delivered them itself). After its
 * connection was lost and made again, the relay calls the handlers of RECONNECTED (with no body): what
 * was said meanwhile is lost to this cell, and its pages should read the rows again.
 */
export interface CellRelay {
  publish(topic: string, body: unknown): void;
  on(topic: string, handler: (body: unknown) => void): () => void;
}

interface Envelope {
  cell: string;
  topic: string;
  body: unknown;
}

export class CellBus implements CellRelay {
  private client: pg.Client | null = null;
  private readonly handlers = new Map<string, Set<(body: unknown) => void>>();
  private closed = false;
  private connecting = false;
  private everConnected = false;
  private retry: NodeJS.Timeout | undefined;
  /** Messages published while the connection was being made, sent once it is. */
  private waiting: string[] = [];

  constructor(
    private readonly url: string,
    readonly cellId: string,
  ) {}

  /** Connects and listens; resolves once the channel is listened to (the first attempt's error rejects). */
  async connect(): Promise<void> {
    this.connecting = true;
    try {
      const client = new pg.Client({ connectionString: this.url, application_name: `lab cell ${this.cellId}` });
      client.on('notification', (message) => this.receive(message.payload));
      client.on('error', (error) => this.lost(client, error));
      client.on('end', () => this.lost(client, new Error('the connection ended')));
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.closed) return void client.end().catch(() => undefined);
      this.client = client;
      for (const payload of this.waiting.splice(0)) this.send(payload);
      if (this.everConnected) this.dispatch(RECONNECTED, undefined);
      this.everConnected = true;
    } finally {
      this.connecting = false;
    }
  }

  publish(topic: string, body: unknown): void {
    const payload = JSON.stringify({ cell: this.cellId, topic, body } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      log.warn('A message for the other cells is too large and was not sent', { topic, bytes: payload.length });
      return;
    }
    if (this.client) this.send(payload);
    else if (!this.closed && this.waiting.length < 1_000) this.waiting.push(payload);
  }

  on(topic: string, handler: (body: unknown) => void): () => void {
    const set = this.handlers.get(topic) ?? new Set();
    set.add(handler);
    this.handlers.set(topic, set);
    return () => set.delete(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private send(payload: string): void {
    this.client!.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((error: unknown) =>
      log.warn('A message for the other cells was not sent', { error: String(error) }),
    );
  }

  private receive(payload: string | undefined): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload ?? '') as Envelope;
    } catch {
      return;
    }
    if (envelope.cell === this.cellId || envelope.topic === RECONNECTED) return;
    this.dispatch(envelope.topic, envelope.body);
  }

  private dispatch(topic: string, body: unknown): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        handler(body);
      } catch {
        /* a handler's failure is its own */
      }
    }
  }

  /** The connection went away: connect again until it works (or the bus is closed). */
  private lost(client: pg.Client | null, error: Error): void {
    if (client && this.client === client) {
      this.client = null;
      log.warn('Lost the connection that relays between cells; connecting again', { error: error.message });
    } else if (this.client) return; // a late event of a connection given up before
    if (this.closed || this.retry || this.connecting) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect().catch((failed: unknown) => this.lost(null, failed as Error));
    }, RETRY_MS);
    this.retry.unref();
  }
}
