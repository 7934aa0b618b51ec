// The lab server as a user starts it: `npm start` in the foreground. It serves the home page and the
// health check, logs to stdout, writes no PID file, and on SIGTERM shuts down cleanly with code 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function pidFiles(): string[] {
  const dirs = [root, os.tmpdir(), '/run', '/var/run'];
  return dirs.flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.pid')).map((name) => path.join(dir, name)) : []));
}

test('npm start serves the lab in the foreground and stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
  const port = await freePort();
  const before = new Set(pidFiles());
  const server = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), LAB_LOG: 'info', LAB_SKIP_DOCKER_SETUP: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  server.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  server.stderr.resume();
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = () => stdout.includes('Lab listening') && resolve();
      server.stdout.on('data', onData);
      exited.then((code) => reject(new Error(`the server exited with ${code} before listening:\n${stdout}`)));
      setTimeout(() => reject(new Error(`the server did not listen within 90 s:\n${stdout}`)), 90_000).unref();
    });
    const home = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(home.status, 200);
    const html = await home.text();
    assert.match(html, /Docker lifecycle lab/);
    assert.match(html, /main-process-exit\/pid1/);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as { engine: { ok: boolean; labImages: string[] } };
    assert.equal(body.engine.ok, true);
    assert.ok(body.engine.labImages.includes('lab/node'));
    assert.deepEqual(pidFiles().filter((file) => !before.has(file)), [], 'no PID file written');
  } finally {
    // npm runs `exec node scripts/start.mjs`, so the signal reaches the server itself.
    server.kill('SIGTERM');
  }
  assert.equal(await exited, 0, `exit code after SIGTERM; output:\n${stdout}`);
  assert.match(stdout, /Shutting down signal=SIGTERM/);
  assert.match(stdout, /Stopped/);
});
