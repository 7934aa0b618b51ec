// command-not-runnable: the command that was to start the service cannot be run at all. When it is
// what Docker starts (a program the image lacks, a mistyped path, a script without its executable
// bit), Docker refuses the start: the container stays `created`, State.Error says why and
// State.ExitCode is 127 (not found) or 126 (not executable), the codes a shell gives. When an
// entrypoint script runs first and then execs a CMD it cannot run, the shell exits with those codes.
import type { SeededRandom } from '../seeded-random';
import { dockerfile, prelude, type AppDetails, type AppPlan } from './app-parts';

/** Commands naming a program that lab/node does not have: a tool of another setup, or a typo. */
const MISSING: ((file: string) => string[])[] = [
  () => ['npm', 'start'],
  () => ['yarn', 'start'],
  (file) => ['nodemon', file],
  (file) => ['pm2-runtime', file],
  (file) => ['nod', file],
  (file) => ['ndoe', file],
  (file) => ['node20', file],
];

/** A start script's name and a mistyped one. */
const TYPOS: [string, string][] = [
  ['start.sh', 'strat.sh'],
  ['entrypoint.sh', 'entrypiont.sh'],
  ['run.sh', 'run-server.sh'],
  ['launch.sh', 'lanch.sh'],
  ['boot.sh', 'boot'],
];

/** Dockerfile lines that take the executable bit away from the app's files ("read-only app files"). */
const CHMODS: ((path: string) => string)[] = [
  () => 'RUN chmod 644 /app/*',
  () => 'RUN chmod a-x /app/*',
  (path) => `RUN chmod 0444 ${path}`,
];

/** The app that was meant to run; it never does. */
function appFile(app: AppDetails): { name: string; content: string } {
  const source = [prelude(app), `log('listening on :${app.port}');`, `setInterval(() => log('ok'), 1000);`, ``];
  return { name: app.file, content: source.join('\n') };
}

/** A start script that runs the app. */
function startScript(name: string, app: AppDetails): string {
  return ['#!/bin/sh', `echo "[${name}] starting ${app.name}"`, `exec node ${app.file}`, ''].join('\n');
}

/** Docker cannot start the command: the start is refused. */
function refused(random: SeededRandom, app: AppDetails): AppPlan {
  const kind = random.pick(['missing', 'missing', 'typo', 'not-executable'] as const);
  const expected = (argv: string[], exitCode: number) => ({
    pid1Command: argv.join(' '),
    exitCode,
    oomKilled: false,
    startRefused: true,
  });
  if (kind === 'missing') {
    const argv = random.pick(MISSING)(app.file);
    const start = random.pick([
      [`CMD ${JSON.stringify(argv).replaceAll('","', '", "')}`],
      [`ENTRYPOINT ["${argv[0]}"]`, `CMD ${JSON.stringify(argv.slice(1))}`],
    ]);
    return {
      files: [dockerfile([`COPY ${app.file} .`, ...start]), appFile(app)],
      env: {},
      expected: expected(argv, 127),
    };
  }
  const [name, typo] = random.pick(TYPOS);
  const dir = random.pick(['./', '/app/']);
  const script = { name, content: startScript(name, app) };
  if (kind === 'typo') {
    return {
      files: [dockerfile([`COPY ${app.file} ${name} ./`, `CMD ["${dir}${typo}"]`]), appFile(app), script],
      env: {},
      expected: expected([`${dir}${typo}`], 127),
    };
  }
  const chmod = random.pick(CHMODS)(`/app/${name}`);
  return {
    files: [dockerfile([`COPY ${app.file} ${name} ./`, chmod, `CMD ["${dir}${name}"]`]), appFile(app), script],
    env: {},
    expected: expected([`${dir}${name}`], 126),
  };
}

/** An entrypoint script prepares, then execs a CMD that cannot be run: the shell exits 127 or 126. */
function execFails(random: SeededRandom, app: AppDetails): AppPlan {
  const waitFor = random.pick(['db:5432', 'redis:6379', 'queue:5672', 'auth:8443']);
  const entrypoint = [
    '#!/bin/sh',
    'set -e',
    `echo "[docker-entrypoint.sh] waiting for ${waitFor}"`,
    // Long enough for the lab to see the script as PID 1.
    `sleep ${(app.failAfterMs / 1000).toFixed(1)}`,
    'echo "[docker-entrypoint.sh] starting: $*"',
    'exec "$@"',
    '',
  ].join('\n');
  const notExecutable = random.next() < 0.4;
  const serve = random.pick(['serve.sh', 'server.sh', 'run-api.sh']);
  const cmd = notExecutable ? [`./${serve}`] : random.pick(MISSING)(app.file);
  const files = [appFile(app), { name: 'docker-entrypoint.sh', content: entrypoint }];
  if (notExecutable) files.push({ name: serve, content: startScript(serve, app) });
  const lines = [
    `COPY ${app.file}${notExecutable ? ` ${serve}` : ''} ./`,
    ...(notExecutable ? [random.pick(CHMODS)(`/app/${serve}`)] : []),
    'COPY docker-entrypoint.sh /usr/local/bin/',
    'ENTRYPOINT ["docker-entrypoint.sh"]',
    `CMD ${JSON.stringify(cmd).replaceAll('","', '", "')}`,
  ];
  return {
    files: [dockerfile(lines), ...files],
    env: {},
    expected: {
      pid1Command: `/bin/sh /usr/local/bin/docker-entrypoint.sh ${cmd.join(' ')}`,
      exitCode: notExecutable ? 126 : 127,
      oomKilled: false,
    },
  };
}

/** The app of a command-not-runnable incident. */
export function commandNotRunnableApp(random: SeededRandom, app: AppDetails): AppPlan {
  return random.next() < 0.65 ? refused(random, app) : execFails(random, app);
}
