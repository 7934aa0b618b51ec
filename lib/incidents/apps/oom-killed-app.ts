// oom-killed: the container runs under a small memory limit and the application keeps allocating.
// When the container reaches the limit, the kernel's OOM killer ends the process with SIGKILL: exit
// code 137 and State.OOMKilled true. The logs simply stop; nothing in them says why.
import type { SeededRandom } from '../seeded-random';
import { cmd, dockerfile, prelude, type AppDetails, type AppPlan } from './app-parts';

/** The app of an oom-killed incident. */
export function oomKilledApp(random: SeededRandom, app: AppDetails): AppPlan {
  const memoryMb = random.pick([48, 56, 64]);
  const chunkMb = random.pick([2, 4]);
  const what = random.pick([
    'warming the product cache',
    'loading the search index',
    'buffering the monthly report',
    'decoding uploaded images',
  ]);
  const source = [
    prelude(app),
    `log('listening on :${app.port}');`,
    `setTimeout(() => {`,
    `  log('${what}');`,
    `  const held = [];`,
    `  setInterval(() => {`,
    // Filled, not just allocated: untouched pages would not count against the limit.
    `    held.push(Buffer.alloc(${chunkMb} * 1024 * 1024, 1));`,
    `    log(\`\${held.length * ${chunkMb}} MiB loaded\`);`,
    `  }, 25);`,
    `}, ${app.failAfterMs});`,
    ``,
  ].join('\n');
  const start = cmd(random.pick(['exec', 'shell'] as const), ['node', app.file]);
  return {
    files: [dockerfile([`COPY ${app.file} .`, start.line]), { name: app.file, content: source }],
    env: {},
    memoryMb,
    expected: { pid1Command: start.pid1Command, exitCode: 137, oomKilled: true },
  };
}
