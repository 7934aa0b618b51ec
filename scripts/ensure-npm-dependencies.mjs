// The npm dependencies, installed when the lock file changed since the last install. The lab's image runs
// this file alone (see the Dockerfile), before the rest of the checkout is copied in.
import fs from 'node:fs';
import path from 'node:path';
import { hashFiles } from './hash-files.mjs';
import { log, root, run } from './setup-common.mjs';

/**
 * npm dependencies: installed when node_modules is missing or package-lock.json changed since the last
 * install. `clean` installs with `npm ci`, which leaves the lock file as it is: the lab's image does,
 * on the lock's own platform, so that the start in the container finds the lock its stamp names.
 */
export function ensureNpmDependencies({ clean = false } = {}) {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.lab-install-stamp');
  const wanted = hashFiles([path.join(root, 'package.json'), ...(fs.existsSync(lock) ? [lock] : [])]);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  log('installing npm dependencies');
  // Otherwise `npm install` rather than `npm ci`: with a lock file it installs the locked versions, and
  // it accepts a lock made on another platform (ci refuses one missing other platforms' optional packages).
  run('npm', [clean ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root });
  fs.writeFileSync(stamp, hashFiles([path.join(root, 'package.json'), lock]));
}
