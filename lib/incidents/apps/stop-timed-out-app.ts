// stop-timed-out: someone runs `docker stop -t N` on a healthy server. Docker sends SIGTERM, PID 1
// takes it and carries on (a handler that waits for something that never ends, or a shell script
// that traps it and keeps waiting for the server it never told), and after N seconds Docker sends
// SIGKILL: exit code 137, OOMKilled false. The log shows the SIGTERM arriving and the work going on;
// the death comes N seconds after it.
import type { SeededRandom } from '../seeded-random';
import { dockerfile, js, nodeAppDockerfile, prelude, type AppDetails, type AppPlan } from './app-parts';

/** SIGTERM handlers that never let the process exit: the JavaScript, given the log's line maker. */
const HANDLERS: ((random: SeededRandom) => string[])[] = [
  (random) => {
    const total = random.int(300, 900);
    return [
      `let batch = 0;`,
      `setInterval(() => log(\`exported batch \${++batch} of ${total}\`), 300);`,
      `process.on('SIGTERM', () => log(\`SIGTERM received: finishing the export first (batch \${batch} of ${total})\`));`,
    ];
  },
  (random) => {
    const open = random.int(2, 9);
    return [
      `setInterval(() => log('ok'), 1000);`,
      `process.on('SIGTERM', () => {`,
      `  log(${js(`SIGTERM received: closing once ${open} open connections have closed`)});`,
      `  setInterval(() => log(${js(`still waiting for ${open} connections`)}), 700);`,
      `});`,
    ];
  },
  (random) => {
    const how = random.pick(['POST /admin/shutdown', 'the maintenance console', 'SIGUSR2']);
    return [
      `setInterval(() => log('ok'), 1000);`,
      `process.on('SIGTERM', () => warn(${js(`SIGTERM ignored: stop the service with ${how}`)}));`,
    ];
  },
];

/** node as PID 1, with a SIGTERM handler that never lets it exit. */
function handlerNeverFinishes(random: SeededRandom, app: AppDetails): { files: AppPlan['files']; pid1: string } {
  const source = [
    prelude(app),
    `setTimeout(() => {`,
    `  log('listening on :${app.port}');`,
    ...random
      .pick(HANDLERS)(random)
      .map((line) => `  ${line}`),
    `}, ${app.failAfterMs});`,
    ``,
  ].join('\n');
  // Either way node is PID 1: `CMD ["node", "app.js"]`, or `ENTRYPOINT ["node"]` with the file as CMD.
  const image = nodeAppDockerfile(random, app.file);
  return {
    files: [image, { name: app.file, content: source }],
    pid1: `node ${app.file}`,
  };
}

/** A shell script as PID 1 that traps SIGTERM, says so, and goes on waiting for the server it never told. */
function scriptWaits(random: SeededRandom, app: AppDetails): { files: AppPlan['files']; pid1: string } {
  const name = random.pick(['start.sh', 'entrypoint.sh', 'run.sh', 'launch.sh']);
  const source = [
    prelude(app),
    `setTimeout(() => {`,
    `  log('listening on :${app.port}');`,
    `  setInterval(() => log('ok'), ${random.pick([400, 500, 800])});`,
    `}, ${app.failAfterMs});`,
    ``,
  ].join('\n');
  const script = [
    '#!/bin/sh',
    `echo "[${name}] starting node ${app.file}"`,
    `node ${app.file} &`,
    'child=$!',
    `trap 'echo "[${name}] SIGTERM received: waiting for node to finish"' TERM`,
    'while kill -0 "$child" 2>/dev/null; do',
    '  wait "$child"',
    'done',
    '',
  ].join('\n');
  return {
    files: [
      dockerfile([`COPY ${app.file} ${name} ./`, `CMD ["/app/${name}"]`]),
      { name: app.file, content: source },
      { name, content: script },
    ],
    pid1: `/bin/sh /app/${name}`,
  };
}

/** The app of a stop-timed-out incident. */
export function stopTimedOutApp(random: SeededRandom, app: AppDetails): AppPlan {
  const { files, pid1 } = random.next() < 0.6 ? handlerNeverFinishes(random, app) : scriptWaits(random, app);
  return {
    files,
    env: {},
    stopAfter: { output: 'listening on', delayMs: random.int(300, 900), timeoutSec: random.pick([2, 3, 4, 5, 6]) },
    expected: { pid1Command: pid1, exitCode: 137, oomKilled: false, sentSignals: ['SIGTERM', 'SIGKILL'] },
  };
}
