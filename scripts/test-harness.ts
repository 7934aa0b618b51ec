// What the server tests, the end-to-end tests and the browser benchmark share: a free port, the lab
// server started as a user starts it and awaited until it listens, and the flags Debian's chromium
// needs on these machines.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { sseEvents } from './sse-events';
import { loadConfig } from '../lib/config';

const root = path.resolve(import.meta.dirname, '..');

/** The browser the tests and the benchmark drive (parsed here, not cached: tests set DATABASE_URL later). */
export const CHROMIUM_PATH = loadConfig().LAB_CHROMIUM;

/** Headless, and no connections of the browser's own: these machines reach no outside network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A lab server started for a test. */
export interface LabServer {
  child: ChildProcess;
  base: string;
  /** Resolves with the exit code (null when a signal killed it). */
  exited: Promise<number | null>;
  /** Everything it wrote to stdout so far. */
  output(): string;
}

/**
 * Starts the lab server on a free port and resolves once it logs that it listens. `npm: true` starts
 * it with `npm start`, as a user does; otherwise `node scripts/start.mjs`, so that a signal sent to the
 * child reaches the server itself with no npm in between.
 */
export async function startLabServer(
  options: { npm?: boolean; env?: Record<string, string> } = {},
): Promise<LabServer> {
  const port = await freePort();
  const [command, args] = options.npm ? ['npm', ['start']] : [process.execPath, ['scripts/start.mjs']];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...options.env, PORT: String(port), LAB_LOG: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => output.includes('Lab listening') && resolve());
    exited.then((code) => reject(new Error(`the server exited with ${code} before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`the server did not listen within 120 s:\n${output}`)), 120_000).unref();
  });
  return { child, base: `http://127.0.0.1:${port}`, exited, output: () => output };
}

/** One message of a Server-Sent Events stream. */
export interface SseMessage {
  id?: number;
  event: string;
  data: unknown;
}

/** The value of one field (`event`, `id`, `data`) of a Server-Sent Events message block. */
function sseField(block: string, name: string): string | undefined {
  return block
    .split('\n')
    .find((line) => line.startsWith(`${name}:`))
    ?.slice(name.length + 1)
    .trim();
}

/** Reads a Server-Sent Events response until it ends. */
export async function readSse(response: Response): Promise<SseMessage[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => {
      const field = (name: string) => sseField(block, name);
      const id = field('id');
      return {
        id: id === undefined ? undefined : Number(id),
        event: field('event') ?? 'message',
        data: JSON.parse(field('data') ?? 'null'),
      };
    });
}

/**
 * Reads a Server-Sent Events response as it streams, calling `onEvent` for each message; stops when
 * the stream ends or `onEvent` returns true.
 */
export async function followSse(
  response: Response,
  onEvent: (event: string, data: unknown) => boolean | void,
): Promise<void> {
  for await (const { event, data } of sseEvents(response)) if (onEvent(event, data) === true) return;
}

/** An answer of the lab's JSON API: its status, its body ({text} when not JSON) and the cookie it set. */
export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
  cookie?: string;
}

/** One request to the lab's API with a JSON body, as a page makes it. */
export async function requestJson(
  base: string,
  method: string,
  url: string,
  options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<JsonReply> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, body, cookie: response.headers.get('set-cookie')?.split(';')[0] };
}
