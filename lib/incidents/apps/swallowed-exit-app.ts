// exit-code-swallowed: PID 1 is a shell script that runs the application. The application fails with
// a code of its own, and the script goes on to exit with 0 (or a generic 1): the container's exit
// code no longer says what the application did. A script run through its #! line shows up as
// `/bin/sh <script>` in the process tree.
import type { SeededRandom } from '../seeded-random';
import { dockerfile, js, prelude, type AppDetails, type AppPlan } from './app-parts';

const FAILURES = [
  'database migration 0007_add_orders_index failed: relation "orders" does not exist',
  'could not open /var/lib/my-api/state.db: permission denied',
  'the payments service answered 503 three times; giving up',
  'license check failed: the license expired on 2026-10-31',
];

/** How the script ends, given the line that runs the app and the script's name; and the code it exits with. */
const ENDINGS: { exitCode: number; lines: (run: string, name: string) => string[] }[] = [
  { exitCode: 0, lines: (run, name) => [run, `echo "[${name}] the server exited with code $?"`, 'exit 0'] },
  { exitCode: 0, lines: (run, name) => [run, `echo "[${name}] cleaning up"`, 'rm -rf /tmp/my-api-cache'] },
  { exitCode: 1, lines: (run, name) => [`${run} || { echo "[${name}] the server failed"; exit 1; }`] },
];

/** The app of an exit-code-swallowed incident. */
export function swallowedExitApp(random: SeededRandom, app: AppDetails): AppPlan {
  const ending = random.pick(ENDINGS);
  const appExitCode = random.pick([2, 3, 4, 5, 6, 7, 9, 12, 42]);
  const source = [
    prelude(app),
    `setTimeout(() => {`,
    `  warn(${js(`error: ${random.pick(FAILURES)} (exiting with code ${appExitCode})`)});`,
    `  process.exit(${appExitCode});`,
    `}, ${app.failAfterMs});`,
    `log('listening on :${app.port}');`,
    ``,
  ].join('\n');
  // The script is CMD itself, or an entrypoint that runs the CMD it is given ("$@").
  const asEntrypoint = random.next() < 0.5;
  const name = asEntrypoint
    ? 'docker-entrypoint.sh'
    : random.pick(['start.sh', 'entrypoint.sh', 'run.sh', 'launch.sh']);
  const script = [
    '#!/bin/sh',
    `echo "[${name}] preparing /tmp/my-api-cache"`,
    'mkdir -p /tmp/my-api-cache',
    ...ending.lines(asEntrypoint ? '"$@"' : `node ${app.file}`, name),
    '',
  ].join('\n');
  const dockerLines = asEntrypoint
    ? [`COPY ${app.file} .`, `COPY ${name} /usr/local/bin/`, `ENTRYPOINT ["${name}"]`, `CMD ["node", "${app.file}"]`]
    : [`COPY ${app.file} ${name} ./`, `CMD ["/app/${name}"]`];
  return {
    files: [dockerfile(dockerLines), { name: app.file, content: source }, { name, content: script }],
    env: {},
    expected: {
      pid1Command: asEntrypoint ? `/bin/sh /usr/local/bin/${name} node ${app.file}` : `/bin/sh /app/${name}`,
      exitCode: ending.exitCode,
      oomKilled: false,
    },
    appExitCode,
  };
}
