// `npm test`: set up what is missing (npm dependencies, Docker engine, lab images, web build), then run
// every test: type check, format, lint, unit and real-engine tests, the curriculum on the real engine, and leftovers.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNextBuild } from './next-build.mjs';
import { SetupError, ensureChromium, ensureNginx, ensureTestPostgres, setup } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

try {
  await setup();
  ensureChromium();
  process.env.LAB_TEST_POSTGRES_URL ??= await ensureTestPostgres();
  ensureNginx();
  ensureNextBuild();
} catch (error) {
  console.error(`[setup] ${error instanceof SetupError ? error.message : error.stack}`);
  process.exit(1);
}

const stages = [
  ['type check', [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.']],
  [
    'format (prettier --check; `npm run format` writes it)',
    [path.join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', '--log-level', 'warn', '.'],
  ],
  ['lint (eslint)', [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', '.']],
  ['unit and engine tests', [path.join(root, 'scripts', 'unit-tests.mjs')]],
  ['lessons on the real engine', [path.join(root, 'scripts', 'run-ts.mjs'), 'scripts/check-lessons.ts']],
  ['browser end to end', [path.join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test']],
  ['nothing left behind', [path.join(root, 'scripts', 'run-ts.mjs'), 'scripts/leftovers.ts']],
];

let passed = 0;
let failed = 0;
for (const [name, args] of stages) {
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, LAB_SKIP_DOCKER_SETUP: '1' },
  });
  const ok = result.status === 0;
  console.log(
    `=== ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (ok) passed++;
  else failed++;
}
console.log(`\nnpm test: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
