// daemonized: PID 1 is a server that daemonizes, as services did before containers: it starts a
// detached copy of itself in the background, waits until the copy has written its PID file, says so
// and exits with 0. The container ends when PID 1 does, and the kernel ends the copy with it. The log
// ends with a successful start; `docker diff` shows the PID file and the log file the copy left.
import type { SeededRandom } from '../seeded-random';
import { cmd, dockerfile, js, prelude, type AppDetails, type AppPlan } from './app-parts';

const FLAGS = ['--daemon', '--daemonize', '-d', '--background', '--detach'];
const SETTINGS: [string, string][] = [
  ['DAEMONIZE', 'true'],
  ['RUN_IN_BACKGROUND', '1'],
  ['DAEMON', 'yes'],
];
const PID_FILES = ['/run/my-api.pid', '/var/run/my-api.pid', '/tmp/my-api.pid', '/app/my-api.pid'];
const LOG_FILES = ['/var/log/my-api.log', '/tmp/my-api.log', '/app/my-api.log'];

/** The app of a daemonized incident. */
export function daemonizedApp(random: SeededRandom, app: AppDetails): AppPlan {
  const byFlag = random.next() < 0.6;
  const flag = random.pick(FLAGS);
  const [setting, value] = random.pick(SETTINGS);
  const pidFile = random.pick(PID_FILES);
  const logFile = random.pick(LOG_FILES);
  const daemonize = byFlag ? `process.argv.includes(${js(flag)})` : `process.env.${setting} === ${js(value)}`;
  const source = [
    prelude(app),
    `const fs = require('node:fs');`,
    `const { spawn } = require('node:child_process');`,
    `const PID_FILE = ${js(pidFile)};`,
    `const LOG_FILE = ${js(logFile)};`,
    `function serve(out) {`,
    `  setTimeout(() => {`,
    `    out('listening on :${app.port}');`,
    `    fs.writeFileSync(PID_FILE, \`\${process.pid}\\n\`);`,
    `    setInterval(() => out('ok'), 1000);`,
    `  }, ${app.failAfterMs});`,
    `}`,
    `if (process.env.MY_API_DETACHED === '1') {`,
    // A daemon has no terminal to write to: the copy logs to its file.
    `  serve((message) => fs.appendFileSync(LOG_FILE, \`\${new Date().toISOString()} \${message}\\n\`));`,
    `} else if (${daemonize}) {`,
    `  log('daemonizing: the server will run in the background');`,
    `  const copy = spawn(process.execPath, [__filename], {`,
    `    detached: true,`,
    `    stdio: 'ignore',`,
    `    env: { ...process.env, MY_API_DETACHED: '1' },`,
    `  });`,
    `  copy.unref();`,
    `  const started = setInterval(() => {`,
    `    if (!fs.existsSync(PID_FILE)) return;`,
    `    clearInterval(started);`,
    `    log(\`started in the background as pid \${copy.pid} (\${PID_FILE}), logging to \${LOG_FILE}\`);`,
    `    process.exit(0);`,
    `  }, 50);`,
    `} else {`,
    `  serve(log);`,
    `}`,
    ``,
  ].join('\n');
  const start = cmd(random.pick(['exec', 'exec', 'shell'] as const), ['node', app.file, ...(byFlag ? [flag] : [])]);
  return {
    files: [dockerfile([`COPY ${app.file} .`, start.line]), { name: app.file, content: source }],
    env: byFlag ? {} : { [setting]: value },
    expected: { pid1Command: start.pid1Command, exitCode: 0, oomKilled: false },
  };
}
