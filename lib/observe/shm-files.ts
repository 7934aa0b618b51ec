// The files a container keeps in memory (/dev and /dev/shm, two tmpfs mounts): they never show in the
// filesystem diff, so they are read from the host through the container's root (/proc/<pid>/root). The
// learner controls every name there and may swap a folder for a link to the host's files at any moment:
// nothing is read unless it is on the very device its mount was when first looked at, and links are
// never followed. (/dev holds device nodes, not regular files: a regular file there was written by the
// container. Its other mounts, /dev/pts and /dev/mqueue, hold none.)
import fs from 'node:fs';
import path from 'node:path';
import type { FileHead } from './timeline-event';

const MAX_FILES = 20;
const MAX_DEPTH = 2;

/** The first bytes of the regular files under /dev and /dev/shm of the container whose process has `hostPid`. */
export function shmFileHeads(hostPid: number, maxBytes = 4096): FileHead[] {
  const root = `/proc/${hostPid}/root`;
  const devices: number[] = [];
  let rootDevice: number;
  try {
    rootDevice = fs.lstatSync(root).dev;
    for (const dir of ['dev', 'dev/shm']) {
      const stat = fs.lstatSync(path.join(root, dir));
      if (!stat.isDirectory()) return [];
      devices.push(stat.dev);
    }
  } catch {
    return [];
  }
  const heads: FileHead[] = [];
  /** Walks one mount: only what is on its device (a mount inside it, such as /dev/shm in /dev, is skipped). */
  const walk = (relative: string, depth: number, device: number) => {
    let entries: string[];
    try {
      entries = fs.readdirSync(path.join(root, relative));
    } catch {
      return;
    }
    for (const entry of entries) {
      if (heads.length >= MAX_FILES) return;
      const inside = `${relative}/${entry}`;
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(path.join(root, inside));
      } catch {
        continue;
      }
      if (stat.dev !== device) continue;
      if (stat.isDirectory() && depth < MAX_DEPTH) walk(inside, depth + 1, device);
      if (!stat.isFile()) continue;
      let fd: number | undefined;
      try {
        fd = fs.openSync(
          path.join(root, inside),
          fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK,
        );
        const opened = fs.fstatSync(fd);
        // Whatever happened to the path between lstat and open, only a regular file of that tmpfs is read.
        if (!opened.isFile() || opened.dev !== device) continue;
        const buffer = Buffer.alloc(Math.min(maxBytes, opened.size));
        const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
        heads.push({ path: `/${inside}`, size: opened.size, head: buffer.subarray(0, read).toString('utf8') });
      } catch {
        /* gone, or not a file to read */
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    }
  };
  walk('dev/shm', 1, devices[1]);
  // /dev itself only when it is a mount of its own (a tmpfs, as Docker makes it), never the image's disk.
  if (devices[0] !== devices[1] && devices[0] !== rootDevice) walk('dev', 1, devices[0]);
  return heads;
}
