// The terminal's WebSocket endpoint: authenticates the upgrade with the learner cookie, then bridges
// one page to one shell session (new, or resumed with ?session=&offset=). Binary frames carry bytes,
// text frames carry typed control messages (terminal-protocol.ts).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { learnerOfRequest } from '../learners/cookie-header';
import { log } from '../log';
import type { TerminalSize } from '../sandbox/workstation-host';
import type { ShellSession, TerminalClient } from './shell-session';
import type { TerminalSessions } from './terminal-sessions';
import {
  CLOSE_CODES,
  ConnectQuerySchema,
  parseClientMessage,
  type ConnectQuery,
  type ServerMessage,
} from './terminal-protocol';

/** What the gateway needs from the rest of the lab. */
export interface TerminalGatewayOptions {
  sessions: TerminalSessions;
  /** Copies the exercise's files (as the learner has them) into the learner's running workstation. */
  syncFiles(owner: string, exerciseId: string): Promise<void>;
  /** The learner typed or connected: their workstation is in use. */
  touch(owner: string): void;
  /** How often a silent connection is pinged; one that misses a pong is dropped. */
  pingMs?: number;
}

/** The page's WebSocket as the session sees it. */
class WebSocketClient implements TerminalClient {
  constructor(private readonly ws: WebSocket) {}

  sendBytes(data: Buffer, sent: () => void): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(data, { binary: true }, () => sent());
  }

  sendMessage(message: ServerMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
  );
}

/** A browser sends Origin: it must be this server (another site's page must not open a learner's shell). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Accepts terminal connections and bridges them to shell sessions. */
export class TerminalGateway {
  private readonly wss: WebSocketServer;

  constructor(private readonly options: TerminalGatewayOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.sessions.limits.messageBytes,
      perMessageDeflate: false,
    });
  }

  /** Handles an HTTP upgrade on the terminal's path: 401 without a valid learner cookie. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const owner = learnerOfRequest(request);
    if (!owner) return refuse(socket, 401, 'Unauthorized');
    if (!sameOrigin(request)) return refuse(socket, 403, 'Forbidden');
    const url = new URL(request.url ?? '/', 'http://lab');
    const query = ConnectQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return refuse(socket, 400, 'Bad Request');
    const began = Date.now();
    this.wss.handleUpgrade(request, socket, head, (ws) => void this.connect(ws, owner, query.data, began));
  }

  /** Ends every shell and closes every connection (shutdown). */
  close(reason: string): void {
    this.options.sessions.endAll(reason);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private async connect(ws: WebSocket, owner: string, query: ConnectQuery, began: number): Promise<void> {
    const { sessions } = this.options;
    const limits = sessions.limits;
    const client = new WebSocketClient(ws);
    let session: ShellSession | null = null;
    let closed = false;
    // What the page sends while its shell starts is kept (bounded) and delivered once it runs.
    const early: { input: Buffer[]; bytes: number; size: TerminalSize | null } = { input: [], bytes: 0, size: null };

    ws.on('message', (data, isBinary) => {
      const bytes = bytesOf(data);
      if (isBinary) {
        this.options.touch(owner);
        if (session) session.input(client, bytes);
        else if (early.bytes + bytes.length <= limits.pendingInputBytes) {
          early.input.push(bytes);
          early.bytes += bytes.length;
        }
        return;
      }
      const message = parseClientMessage(bytes.toString('utf8'));
      if (!message) client.sendMessage({ type: 'error', message: 'unknown control message' });
      else if (message.type === 'resize') {
        if (session) session.resize(client, message);
        else early.size = message;
      } else session?.ack(client, message.offset);
    });
    let alive = true;
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, this.options.pingMs ?? 30_000);
    heartbeat.unref();
    ws.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      session?.detach(client);
    });
    ws.on('error', (error) => log.debug('Terminal connection failed', { owner, error: String(error) }));

    this.options.touch(owner);
    // Once the learner's shell exists (so a refused connection starts nothing), their files are copied in.
    const copyFiles = async () => {
      if (!query.exerciseId) return;
      await this.options.syncFiles(owner, query.exerciseId).catch((error: unknown) => {
        log.warn('Failed to copy the exercise files into the workstation', {
          owner,
          exercise: query.exerciseId,
          error: String(error),
        });
        client.sendMessage({ type: 'error', message: 'your files could not be copied into the workstation' });
      });
    };

    const attach = (chosen: ShellSession, offset: number) => {
      session = chosen;
      chosen.attach(client, offset);
      if (early.size) chosen.resize(client, early.size);
      for (const input of early.input) chosen.input(client, input);
      early.input = [];
      log.info('Terminal attached', { owner, session: chosen.id.slice(0, 8), ms: Date.now() - began });
    };

    const resumed = query.session ? sessions.find(owner, query.session) : undefined;
    if (resumed) {
      attach(resumed, query.offset ?? 0);
      return copyFiles();
    }

    let started: Awaited<ReturnType<TerminalSessions['start']>>;
    try {
      started = await sessions.start(owner, { cols: query.cols, rows: query.rows });
    } catch (error) {
      log.error('Failed to start a terminal', { owner, error: error instanceof Error ? error.stack : String(error) });
      client.sendMessage({ type: 'error', message: 'the workstation could not be started (internal error)' });
      client.close(CLOSE_CODES.failed, 'failed');
      return;
    }
    if ('refused' in started) {
      client.sendMessage({ type: 'error', message: started.refused });
      client.close(CLOSE_CODES.refused, 'refused');
      return;
    }
    await copyFiles();
    // The page left while its shell started: nobody will ever attach to it.
    if (closed) return started.session.end();
    attach(started.session, 0);
  }
}
