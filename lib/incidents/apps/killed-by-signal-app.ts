// killed-by-signal: a signal ends the process, and it is not the OOM killer. Either someone runs
// `docker kill` on a healthy server (137, OOMKilled false), or the application runs under tini, raises
// a signal against itself, and tini exits with 128 + the signal's number, as a shell would.
import type { SeededRandom } from '../seeded-random';
import { dockerfile, js, prelude, type AppDetails, type AppPlan } from './app-parts';

/** Signals an application can raise against itself, how, what it logs first, and tini's exit code. */
const RAISED = [
  { code: 143, raise: `process.kill(process.pid, 'SIGTERM')`, message: 'drain requested: terminating' },
  {
    code: 137,
    raise: `process.kill(process.pid, 'SIGKILL')`,
    message: 'watchdog: the event loop stalled, killing the process',
  },
  { code: 134, raise: 'process.abort()', message: 'native module: assertion failed, aborting' },
  { code: 139, raise: `process.kill(process.pid, 'SIGSEGV')`, message: 'image codec: reading frame 12' },
];

function dockerKilled(random: SeededRandom, app: AppDetails): AppPlan {
  const source = [
    prelude(app),
    `setTimeout(() => {`,
    `  log('listening on :${app.port}');`,
    `  setInterval(() => log('health check ok'), 250);`,
    `}, ${app.failAfterMs});`,
    ``,
  ].join('\n');
  return {
    files: [dockerfile([`COPY ${app.file} .`, `CMD ["node", "${app.file}"]`]), { name: app.file, content: source }],
    env: {},
    killAfter: { output: 'listening on', delayMs: random.int(300, 900) },
    // One SIGKILL and nothing before it: no SIGTERM, as a docker stop would send first.
    expected: { pid1Command: `node ${app.file}`, exitCode: 137, oomKilled: false, sentSignals: ['SIGKILL'] },
  };
}

function raisedUnderTini(random: SeededRandom, app: AppDetails): AppPlan {
  const raised = random.pick(RAISED);
  const source = [
    prelude(app),
    `log('listening on :${app.port}');`,
    `setInterval(() => log('ok'), 1000);`,
    `setTimeout(() => {`,
    `  warn(${js(raised.message)});`,
    `  ${raised.raise};`,
    `}, ${app.failAfterMs});`,
    ``,
  ].join('\n');
  return {
    files: [
      dockerfile([`COPY ${app.file} .`, `ENTRYPOINT ["tini", "--"]`, `CMD ["node", "${app.file}"]`]),
      { name: app.file, content: source },
    ],
    env: {},
    expected: { pid1Command: `tini -- node ${app.file}`, exitCode: raised.code, oomKilled: false },
  };
}

/** The app of a killed-by-signal incident. */
export function killedBySignalApp(random: SeededRandom, app: AppDetails): AppPlan {
  return random.next() < 0.4 ? dockerKilled(random, app) : raisedUnderTini(random, app);
}
