// The kernel's tracing filesystem, where the lab reads which process signalled which (see
// lib/observe/signal-trace.ts). Most distributions mount it at boot; where it is not, root mounts it.
// Without it the lab still works: the checks then judge a stop signal's path from the process samples.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { log } from './setup-common.mjs';

const TRACEFS = '/sys/kernel/tracing';

/** Mounts tracefs where it is missing and this process may; says so when signals cannot be traced. */
export function ensureTracefs() {
  if (process.env.LAB_SIGNAL_TRACE === 'off' || process.platform !== 'linux') return;
  if (fs.existsSync(`${TRACEFS}/instances`)) return;
  if (process.getuid?.() === 0 && fs.existsSync(TRACEFS)) {
    const mount = spawnSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { encoding: 'utf8' });
    if (mount.status === 0 && fs.existsSync(`${TRACEFS}/instances`)) {
      log(`mounted the kernel's tracefs at ${TRACEFS} (the lab traces which process signalled which)`);
      return;
    }
  }
  log(
    `signals cannot be traced here (no tracefs at ${TRACEFS}): checks judge a stop signal's path from the process samples`,
  );
}
