// Runs the test files next to the code (lib/**/*.test.ts, scripts/**/*.test.ts) with Node's test
// runner, TypeScript through tsx. Arguments narrow the run to files whose path contains them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const files = ['lib', 'scripts']
  .flatMap((dir) =>
    fs.readdirSync(path.join(root, dir), { recursive: true }).map((file) => path.join(dir, String(file))),
  )
  .filter((file) => file.endsWith('.test.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Tests that start lab servers (scripts/*.test.ts) run after the others, one at a time: a starting
// server reaps the orphans it finds, which would race the reaper's own tests, and two servers starting
// together would both rebuild the web app into the same folder.
const serverTests = files.filter((file) => file.startsWith('scripts/'));
const groups = [
  { files: files.filter((file) => !serverTests.includes(file)), concurrency: 4 },
  { files: serverTests, concurrency: 1 },
].filter((group) => group.files.length);
let status = 0;
for (const group of groups) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${group.concurrency}`, ...group.files],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, LAB_LOG: process.env.LAB_LOG ?? 'warn' },
    },
  );
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
