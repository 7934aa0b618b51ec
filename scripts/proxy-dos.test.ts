// The red team against the lab server itself: the Docker API proxy runs inside it, so a learner who
// floods their socket must not take the server from everyone else. A 1 MiB gzip bomb as a build
// context and a flood of `docker events` streams, sent on a real learner's socket of the real server,
// while the server's memory, open files and /api/health are measured.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import WebSocket from 'ws';
import { scopeOf } from '../lib/proxy/scope';
import { dockerFromEnv } from '../lib/sandbox/docker-engine';
import { labelledResources } from '../lib/sandbox/reaper';
import { startLabServer, type LabServer } from './test-harness';

let server: LabServer;
let learnerId = '';
let ws: WebSocket;

const rssMb = () =>
  Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const openFiles = () => fs.readdirSync(`/proc/${server.child.pid}/fd`).length;

/** Samples the server while `during` runs: its memory and open files, and how long /api/health takes. */
async function measured<T>(
  during: () => Promise<T>,
): Promise<{ result: T; rssGrowthMb: number; maxFiles: number; healthMaxMs: number; healthFailures: number }> {
  const baseline = rssMb();
  let peak = baseline;
  let maxFiles = 0;
  let healthMaxMs = 0;
  let healthFailures = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, rssMb());
      maxFiles = Math.max(maxFiles, openFiles());
      const started = Date.now();
      const ok = await fetch(`${server.base}/api/health`, { signal: AbortSignal.timeout(10_000) }).then(
        (res) => res.status === 200,
        () => false,
      );
      healthMaxMs = Math.max(healthMaxMs, Date.now() - started);
      if (!ok) healthFailures += 1;
      await sleep(50);
    }
  })();
  const result = await during();
  running = false;
  await sampler;
  return { result, rssGrowthMb: peak - baseline, maxFiles, healthMaxMs, healthFailures };
}

/** The learner's socket: the one the server made for their workstation. */
function learnerSocket(): string {
  const dir = path.join(os.tmpdir(), 'lab-sockets');
  const name = fs
    .readdirSync(dir)
    .find((file) => file.startsWith(`${scopeOf(learnerId).key}-`) && file.endsWith('.sock'));
  assert.ok(name, 'the learner has a socket');
  return path.join(dir, name);
}

before(async () => {
  server = await startLabServer({ env: { LAB_SKIP_DOCKER_SETUP: '1' } });
  const response = await fetch(`${server.base}/api/learner`, { method: 'POST' });
  const cookie = response.headers.get('set-cookie')!.split(';')[0];
  learnerId = cookie.split('=')[1].split('.')[0];
  ws = new WebSocket(
    `${server.base.replace('http', 'ws')}/api/terminal?exerciseId=main-process-exit/pid1&cols=80&rows=24`,
    { headers: { cookie } },
  );
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer, binary) => !binary && JSON.parse(data.toString()).type === 'ready' && resolve());
    ws.on('close', () => reject(new Error('the terminal closed before it was ready')));
  });
});

after(async () => {
  ws.close();
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, server.output().slice(-2000));
  assert.deepEqual(await labelledResources(dockerFromEnv(), learnerId), { containers: [], images: [] });
});

test('a gzip bomb as a build context is refused at its limit while the server answers everyone', async (t) => {
  // A tar whose one file is 1 GiB of zeros, compressed to about 1 MiB.
  const gzip = zlib.createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => parts.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const header = Buffer.alloc(512);
  header.write('zeros', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${(2 ** 30).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\x0000', 257);
  header.fill(' ', 148, 156);
  header.write(
    `${header
      .reduce((sum, byte) => sum + byte, 0)
      .toString(8)
      .padStart(6, '0')}\0 `,
    148,
    'latin1',
  );
  gzip.write(header);
  const zeros = Buffer.alloc(2 ** 20);
  for (let i = 0; i < 1024; i += 1) gzip.write(zeros);
  gzip.end();
  await done;
  const bomb = Buffer.concat(parts);
  const socketPath = learnerSocket();
  const {
    result: status,
    rssGrowthMb,
    healthMaxMs,
    healthFailures,
  } = await measured(
    () =>
      new Promise<number>((resolve) => {
        const request = http.request(
          {
            socketPath,
            method: 'POST',
            path: '/v1.41/build?t=bomb',
            headers: { 'content-type': 'application/x-tar', 'content-length': String(bomb.length) },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        request.on('error', () => resolve(-1));
        request.end(bomb);
      }),
  );
  t.diagnostic(
    `bomb of ${(bomb.length / 2 ** 20).toFixed(2)} MiB: answered ${status}; server memory grew ${rssGrowthMb.toFixed(0)} MB; /api/health at worst ${healthMaxMs} ms, ${healthFailures} failed`,
  );
  assert.equal(status, 413);
  assert.ok(rssGrowthMb < 200, `the server's memory grew by ${rssGrowthMb.toFixed(0)} MB`);
  assert.equal(healthFailures, 0);
  assert.ok(healthMaxMs < 2_000, `/api/health took ${healthMaxMs} ms at worst`);
});

test("a flood of docker events streams is held to the learner's bound while the server answers everyone", async (t) => {
  const socketPath = learnerSocket();
  const before = openFiles();
  const sockets: net.Socket[] = [];
  const {
    result: statuses,
    maxFiles,
    healthMaxMs,
    healthFailures,
  } = await measured(async () => {
    const answered = Array.from(
      { length: 2_000 },
      () =>
        new Promise<string>((resolve) => {
          const socket = net.connect({ path: socketPath });
          sockets.push(socket);
          socket.once('data', (chunk: Buffer) =>
            resolve(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? '?'),
          );
          socket.on('error', () => resolve('closed'));
          socket.on('close', () => resolve('closed'));
          socket.write('GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n\r\n');
        }),
    );
    return Promise.all(answered);
  });
  for (const socket of sockets) socket.destroy();
  const counts = statuses.reduce<Record<string, number>>(
    (all, status) => ({ ...all, [status]: (all[status] ?? 0) + 1 }),
    {},
  );
  t.diagnostic(
    `2000 event streams: ${JSON.stringify(counts)}; server open files ${before} before, ${maxFiles} at most; /api/health at worst ${healthMaxMs} ms, ${healthFailures} failed`,
  );
  assert.ok((counts['200'] ?? 0) <= 16, `at most 16 streams open: ${JSON.stringify(counts)}`);
  assert.ok(maxFiles < before + 200, `the server held ${maxFiles} files (${before} before)`);
  assert.equal(healthFailures, 0);
  assert.ok(healthMaxMs < 2_000, `/api/health took ${healthMaxMs} ms at worst`);
});

test('a build whose output the client never reads does not grow the server', async (t) => {
  const pack = (await import('tar-stream')).default.pack();
  pack.entry(
    { name: 'Dockerfile' },
    `FROM lab/node\nENV NONCE=${process.pid}-${Date.now()}\nRUN timeout 12 yes "$(head -c 3000 /dev/zero | tr '\\0' x)" || true\n`,
  );
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const context = Buffer.concat(chunks);
  const socketPath = learnerSocket();
  const { rssGrowthMb, healthMaxMs, healthFailures } = await measured(
    () =>
      new Promise<void>((resolve) => {
        // The client sends its build and then reads nothing, as a stalled CLI would.
        const socket = net.connect({ path: socketPath }, () => {
          socket.pause();
          socket.write(
            `POST /v1.41/build?t=flood HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\nContent-Length: ${context.length}\r\n\r\n`,
          );
          socket.write(context);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 16_000);
        });
        socket.on('error', () => undefined);
      }),
  );
  t.diagnostic(
    `12 s of yes in a build nobody reads: server memory grew ${rssGrowthMb.toFixed(0)} MB; /api/health at worst ${healthMaxMs} ms`,
  );
  assert.ok(rssGrowthMb < 200, `the server's memory grew by ${rssGrowthMb.toFixed(0)} MB`);
  assert.equal(healthFailures, 0);
});

test('pages asking for terminal events without a workstation hold nothing on the engine', async () => {
  const before = openFiles();
  for (let i = 0; i < 60; i += 1) {
    const response = await fetch(`${server.base}/api/learner`, { method: 'POST' });
    const cookie = response.headers.get('set-cookie')!.split(';')[0];
    const events = await fetch(`${server.base}/api/terminal/events`, { headers: { cookie } });
    await events.text();
  }
  // Each would have held an engine event stream: none is left once the requests are answered.
  assert.ok(openFiles() < before + 20, `the server holds ${openFiles()} files (${before} before)`);
});
