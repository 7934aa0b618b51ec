// The npm dependencies, installed when the lock file changed since the last install. The lab's image runs
// this file alone (see the Dockerfile), before the rest of the checkout is copied in.
import fs from 'node:fs';
import path from 'node:path';
import { hashFiles } from './hash-files.mjs';
import { log, root, run } from './setup-common.mjs';

/**
 * npm dependencies: installed when node_modules is missing or package-lock.json changed since the last
 * install, with `npm ci`: exactly the locked versions, and the lock file left as it is, so a fresh
 * clone stays clean. The lock lists every platform's optional packages (npm ci refuses one that does
 * not); after adding a dependency, `npm install` writes it so.
 */
export function ensureNpmDependencies() {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.lab-install-stamp');
  const wanted = hashFiles([path.join(root, 'package.json'), ...(fs.existsSync(lock) ? [lock] : [])]);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  log('installing npm dependencies');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
  fs.writeFileSync(stamp, hashFiles([path.join(root, 'package.json'), lock]));
}
