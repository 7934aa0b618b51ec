import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { prepareSocketDir, removeDeadSockets, socketPathFor } from './socket-dir';

test("a killed server's sockets are removed, a live server's are kept", async () => {
  const dir = prepareSocketDir(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-sockets-test-')));
  const live = socketPathFor(dir, 'live');
  const dead = socketPathFor(dir, 'dead');
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(live, resolve));
  // A process killed with SIGKILL leaves its socket file behind, as a crashed lab server does.
  const crashed = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen(${JSON.stringify(dead)}, () => console.log('up'))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => crashed.stdout.once('data', () => resolve()));
  crashed.kill('SIGKILL');
  await new Promise((resolve) => crashed.once('exit', resolve));
  try {
    assert.ok(fs.existsSync(dead), 'the killed process left its socket');
    assert.equal(await removeDeadSockets(dir), 1);
    assert.equal(fs.existsSync(dead), false);
    assert.equal(fs.existsSync(live), true, 'the live socket is kept');
    assert.equal(await removeDeadSockets(dir), 0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing directory has nothing to remove', async () => {
  assert.equal(await removeDeadSockets(path.join(os.tmpdir(), `lab-sockets-none-${process.pid}`)), 0);
});
