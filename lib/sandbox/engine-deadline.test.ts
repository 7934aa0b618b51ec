// An engine that accepts connections and never answers: short calls fail within their deadline with
// a message that says what was waited for, and the health check answers promptly that the engine is down.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Docker from 'dockerode';
import { DockerEngine } from './docker-engine';
import { EngineTimeoutError, withEngineDeadline } from './engine-deadline';
import { engineStatus } from './engine-status';
import { RUN_LIMITS } from './limits';

process.env.LAB_ENGINE_TIMEOUT_MS = '300';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-stalled-'));
const socketPath = path.join(dir, 'docker.sock');
const sockets = new Set<net.Socket>();
const stalled = net.createServer((socket) => {
  sockets.add(socket); // reads the request, never answers
  socket.on('close', () => sockets.delete(socket));
});

before(() => new Promise<void>((resolve) => stalled.listen(socketPath, resolve)));
after(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => stalled.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a call past its deadline fails with EngineTimeoutError naming what it waited for', async () => {
  const started = Date.now();
  await assert.rejects(
    withEngineDeadline('inspecting a container', () => new Promise(() => undefined), 200),
    (error: unknown) => {
      assert.ok(error instanceof EngineTimeoutError);
      assert.equal(error.message, 'the Docker engine did not answer within 200 ms (inspecting a container)');
      return true;
    },
  );
  assert.ok(Date.now() - started < 1000);
  assert.equal(await withEngineDeadline('a quick call', async () => 42, 200), 42);
});

test('a stalled engine: the health check answers within its deadline, and engine calls fail', async () => {
  const engine = new DockerEngine(new Docker({ socketPath }));
  const started = Date.now();
  const status = await engineStatus(engine, 300);
  assert.equal(status.ok, false);
  assert.match(status.error ?? '', /did not answer within 300 ms/);
  assert.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`);
  await assert.rejects(
    engine.inspect('some-container'),
    /^Error: the Docker engine did not answer within 300 ms \(inspecting a container\)$/,
  );
  await assert.rejects(
    engine.create({
      labels: { runId: 'r0', owner: 'test', expiresAt: 0 },
      image: 'x',
      settings: { env: {}, restart: { policy: 'no' }, init: false },
      limits: RUN_LIMITS,
    }),
    EngineTimeoutError,
  );
});
