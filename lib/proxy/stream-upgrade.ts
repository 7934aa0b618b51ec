// `docker run` (attached), `docker attach` and `docker exec` switch their connection to a raw stream.
// The proxy builds the upgrade request itself, reads the engine's status line first, and joins the two
// connections only once the engine has switched protocols (101, or the 200 of a hijacked stream).
// Any other answer is relayed as an answer and both connections are closed: a connection the engine
// did not hijack is still HTTP, and joining it would let every later byte reach the engine unchecked.
import type { Duplex } from 'node:stream';
import type { EngineClient } from './engine-client';
import { messageOf } from './proxy-answers';

/** Largest status line and headers the engine's answer to an upgrade may have. */
const MAX_HEAD_BYTES = 16 * 1024;
/** Largest error body relayed from a refused upgrade. */
const MAX_ERROR_BYTES = 64 * 1024;

/** What a raw-stream join needs. */
export interface UpgradeRequest {
  /** The engine path (built by the proxy), with its query. */
  target: string;
  /** The body the proxy built (exec start), if any. */
  body?: Buffer;
  /** Bytes the learner sent after their request (stdin typed early): sent once the stream is joined. */
  early: Buffer;
  /** Within this the engine must answer; after it the joined stream lasts at most `lifetimeMs`. */
  answerMs: number;
  lifetimeMs: number;
  /** Rewrites an error message for the learner (the namespace taken out). */
  rewrite: (text: string) => string;
}

interface EngineHead {
  status: number;
  headers: Map<string, string>;
  rest: Buffer;
}

/** Reads the engine's status line and headers; null when the engine closed or took too long. */
function readHead(upstream: Duplex, ms: number): Promise<EngineHead | null> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const finish = (head: EngineHead | null) => {
      clearTimeout(timer);
      upstream.off('data', onData);
      upstream.off('close', onClose);
      upstream.pause();
      resolve(head);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HEAD_BYTES) finish(null);
        return;
      }
      const lines = buffered.subarray(0, end).toString('latin1').split('\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
      const headers = new Map<string, string>();
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      finish(status ? { status: Number(status[1]), headers, rest: buffered.subarray(end + 4) } : null);
    };
    const onClose = () => finish(null);
    const timer = setTimeout(() => finish(null), ms);
    upstream.on('data', onData);
    upstream.on('close', onClose);
  });
}

/** The rest of a refused upgrade's body, up to its length (bounded). */
function readErrorBody(upstream: Duplex, head: EngineHead, ms: number): Promise<string> {
  const length = Math.min(Number(head.headers.get('content-length') ?? MAX_ERROR_BYTES) || 0, MAX_ERROR_BYTES);
  return new Promise((resolve) => {
    let body = head.rest;
    const done = () => {
      clearTimeout(timer);
      upstream.off('data', onData);
      resolve(body.subarray(0, length).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      body = Buffer.concat([body, chunk]);
      if (body.length >= length) done();
    };
    const timer = setTimeout(done, ms);
    if (body.length >= length) return done();
    upstream.on('data', onData);
    upstream.once('close', done);
    upstream.resume();
  });
}

function answer(client: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message });
  client.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Refused'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Refuses an upgrade before anything is sent to the engine. */
export function refuseUpgrade(client: Duplex, status: number, message: string): void {
  answer(client, status, message);
}

/**
 * Sends the upgrade to the engine and joins the connections if it switches; resolves when the joined
 * stream ends (or at once when it did not switch).
 */
export async function joinStream(client: Duplex, engine: EngineClient, request: UpgradeRequest): Promise<void> {
  const upstream = engine.connect();
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  const lines = [
    `POST ${request.target} HTTP/1.1`,
    'Host: docker',
    'Connection: Upgrade',
    'Upgrade: tcp',
    'Content-Type: application/json',
    `Content-Length: ${request.body?.length ?? 0}`,
  ];
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (request.body?.length) upstream.write(request.body);
  // Nothing the learner sends goes to the engine before it has switched protocols.
  client.pause();
  const head = await readHead(upstream, request.answerMs);
  if (!head) {
    upstream.destroy();
    return answer(client, 502, 'the Docker engine did not answer the stream request');
  }
  const switched =
    head.status === 101 ||
    (head.status === 200 && (head.headers.get('content-type') ?? '').startsWith('application/vnd.docker.'));
  if (!switched) {
    const text = await readErrorBody(upstream, head, request.answerMs);
    upstream.destroy();
    return answer(client, head.status >= 400 ? head.status : 502, request.rewrite(messageOf(text)));
  }
  const contentType = head.headers.get('content-type')?.startsWith('application/vnd.docker.')
    ? head.headers.get('content-type')
    : 'application/vnd.docker.raw-stream';
  client.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
  if (head.rest.length) client.write(head.rest);
  if (request.early.length) upstream.write(request.early);
  await new Promise<void>((resolve) => {
    const end = () => {
      clearTimeout(lifetime);
      client.destroy();
      upstream.destroy();
      resolve();
    };
    const lifetime = setTimeout(end, request.lifetimeMs);
    client.on('close', end);
    upstream.on('close', end);
    // Half-closes pass through: `docker run -i` ends stdin and still reads the output.
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
    upstream.resume();
  });
}
