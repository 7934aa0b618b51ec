// The proxy's requests to the engine. Each one is built here from parts the proxy chose (method, a
// path of resolved IDs and names, a query and a body it constructed, its own headers): nothing the
// learner sent is copied into it. Every request has a deadline: a short call until its whole answer,
// a stream until its headers (what follows has the stream's own bounds).
import type Docker from 'dockerode';
import http from 'node:http';
import net from 'node:net';
import { EngineTimeoutError, engineTimeoutMs } from '../sandbox/engine-deadline';

/** Where the engine listens. */
export type EngineAddress = { socketPath: string } | { host: string; port: number };

/** The engine's address, from the dockerode client the rest of the lab uses. */
export function engineAddress(docker: Docker): EngineAddress {
  const modem = (docker as unknown as { modem: { socketPath?: string; host?: string; port?: number } }).modem;
  if (modem.socketPath) return { socketPath: modem.socketPath };
  return { host: modem.host ?? 'localhost', port: Number(modem.port ?? 2375) };
}

/** A request the proxy built. `path` is without the API version; the client adds the one in use. */
export interface EngineRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  path: string;
  query?: URLSearchParams;
  /** A JSON body the proxy constructed. */
  json?: unknown;
  /** A build context the proxy packed. */
  tar?: Buffer;
  /** What is waited for, in a deadline's message. */
  what: string;
  /** Time the engine itself takes on purpose (docker stop's grace period), added to the deadline. */
  extraMs?: number;
}

/** A whole answer. */
export interface EngineAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** Largest answer to a short call the proxy reads (a `docker diff` of many long paths ran to 76 MB). */
export const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

/** An answer the proxy will not hold: it is refused rather than read. */
export class AnswerTooLargeError extends Error {
  constructor(readonly what: string) {
    super(
      `the Docker engine's answer (${what}) is larger than the ${MAX_ANSWER_BYTES / 1048576} MiB the lab passes on`,
    );
  }
}

/** Only what a path built from IDs, names and fixed words can hold. */
const SAFE_PATH = /^(\/[A-Za-z0-9._:@-]+)+$/;

export class EngineClient {
  // Short calls reuse connections; streams that may last get their own.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  constructor(
    readonly address: EngineAddress,
    /** The API version prefix the proxy speaks to the engine with, e.g. `/v1.41`. */
    private readonly version: string,
  ) {}

  /** The target of a request: version, path and query, checked once more for what a built path may hold. */
  target(request: Pick<EngineRequest, 'path' | 'query'>, version = this.version): string {
    if (
      !SAFE_PATH.test(request.path) ||
      request.path.split('/').some((segment) => segment === '..' || segment === '.')
    ) {
      throw new Error(`refusing to send the engine an unexpected path: ${JSON.stringify(request.path)}`);
    }
    const query = request.query?.toString();
    return `${version}${request.path}${query ? `?${query}` : ''}`;
  }

  private send(request: EngineRequest, stream: boolean, version?: string): Promise<http.IncomingMessage> {
    const body =
      request.tar ?? (request.json === undefined ? undefined : Buffer.from(JSON.stringify(request.json), 'utf8'));
    const headers: http.OutgoingHttpHeaders = { host: 'docker' };
    if (body) {
      headers['content-type'] = request.tar ? 'application/x-tar' : 'application/json';
      headers['content-length'] = body.length;
    }
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        {
          ...this.address,
          method: request.method,
          path: this.target(request, version),
          headers,
          agent: stream ? false : this.agent,
        },
        resolve,
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** A short call: the whole answer within the deadline. */
  async call(request: EngineRequest, version?: string): Promise<EngineAnswer> {
    const ms = engineTimeoutMs() + (request.extraMs ?? 0);
    let answer: http.IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        answer?.destroy();
        reject(new EngineTimeoutError(request.what, ms));
      }, ms);
    });
    try {
      return await Promise.race([
        (async () => {
          answer = await this.send(request, false, version);
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of answer) {
            size += (chunk as Buffer).length;
            if (size > MAX_ANSWER_BYTES) {
              answer.destroy();
              throw new AnswerTooLargeError(request.what);
            }
            chunks.push(chunk as Buffer);
          }
          return {
            status: answer.statusCode ?? 502,
            contentType: String(answer.headers['content-type'] ?? 'application/json'),
            body: Buffer.concat(chunks),
          };
        })(),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A stream: the answer once its headers are in (within the deadline); the caller reads and ends it. */
  async open(request: EngineRequest, version?: string): Promise<http.IncomingMessage> {
    const ms = engineTimeoutMs();
    let timer: NodeJS.Timeout | undefined;
    const pending = this.send(request, true, version);
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EngineTimeoutError(request.what, ms)), ms);
    });
    try {
      return await Promise.race([pending, late]);
    } catch (error) {
      // An answer that arrives after the deadline is nobody's: end it when it comes.
      void pending.then(
        (answer) => answer.destroy(),
        () => undefined,
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A raw connection, for the streams the engine hijacks (attach, exec). */
  connect(): net.Socket {
    return 'socketPath' in this.address ? net.connect({ path: this.address.socketPath }) : net.connect(this.address);
  }

  close(): void {
    this.agent.destroy();
  }
}
