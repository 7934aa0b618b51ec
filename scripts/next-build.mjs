// Builds the Next.js app when it has never been built or its sources changed since the last build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['app', 'components', 'lib', 'next.config.js', 'tsconfig.json', 'package-lock.json'];

function sourceHash() {
  const hash = createHash('sha256');
  const visit = (entry) => {
    const full = path.join(root, entry);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const child of fs.readdirSync(full).sort()) visit(path.join(entry, child));
    } else if (!entry.endsWith('.test.ts')) {
      hash.update(entry).update('\0').update(fs.readFileSync(full)).update('\0');
    }
  };
  SOURCES.forEach(visit);
  return hash.digest('hex');
}

/** Runs `next build` unless .next holds a build of the current sources. */
export function ensureNextBuild() {
  const stamp = path.join(root, '.next', 'lab-source-hash');
  const wanted = sourceHash();
  if (
    fs.existsSync(path.join(root, '.next', 'BUILD_ID')) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === wanted
  )
    return;
  console.error('[setup] building the web app (next build)');
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.status !== 0) throw new Error(`next build exited with code ${result.status}`);
  fs.writeFileSync(stamp, wanted);
}
