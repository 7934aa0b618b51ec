// Where the lab's per-learner Docker sockets live: one directory only this server's user can enter,
// so the sockets in it (which the workstation's user must be able to open, through the bind mount)
// are reachable on this host by the lab alone.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The longest path a unix socket may have (sun_path is 108 bytes on Linux; some systems allow 104). */
const MAX_SOCKET_PATH = 100;

/** The socket directory, made (mode 0700) or checked: it must be ours and a real directory. */
export function prepareSocketDir(dir: string = path.join(os.tmpdir(), 'lab-sockets')): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
    throw new Error(
      `${dir} must be a directory owned by the lab's user (uid ${process.getuid?.()}), not a link or another user's`,
    );
  }
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** A fresh socket path for a learner's key: unique, so a workstation's proxy never removes a successor's socket. */
export function socketPathFor(dir: string, key: string): string {
  const socketPath = path.join(dir, `${key}-${randomBytes(3).toString('hex')}.sock`);
  if (socketPath.length > MAX_SOCKET_PATH) throw new Error(`socket path too long for a unix socket: ${socketPath}`);
  return socketPath;
}

/** True when nothing listens on the socket any more (its server is gone), false while one answers. */
function isDead(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' || error.code === 'ENOENT'),
    );
  });
}

/**
 * Removes the sockets a stopped or killed lab server left in the directory; the sockets of another
 * lab server sharing it still answer and are kept. Returns how many were removed.
 */
export async function removeDeadSockets(dir: string = path.join(os.tmpdir(), 'lab-sockets')): Promise<number> {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.sock'));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const socketPath = path.join(dir, name);
    if (!(await isDead(socketPath))) continue;
    fs.rmSync(socketPath, { force: true });
    removed += 1;
  }
  return removed;
}
