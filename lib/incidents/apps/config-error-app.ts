// config-error: the application reads its configuration, finds something wrong, says so on stderr and
// exits with a code of its own choosing (78 is EX_CONFIG from sysexits.h; many apps just use 1 or 2).
import type { SeededRandom } from '../seeded-random';
import { cmd, dockerfile, js, prelude, type AppDetails, type AppPlan } from './app-parts';

/** A configuration problem: the environment that causes it and the JavaScript that notices it. */
interface ConfigProblem {
  env: Record<string, string>;
  check: string;
}

const PROBLEMS: ((random: SeededRandom) => ConfigProblem)[] = [
  (random) => {
    const name = random.pick(['DATABASE_URL', 'REDIS_URL', 'API_KEY', 'JWT_SECRET', 'SMTP_HOST']);
    return {
      env: {},
      check: `if (!process.env.${name}) fail(${js(`${name} is not set; the service cannot start without it`)});`,
    };
  },
  (random) => {
    const value = random.pick(['eighty', '70000', '-1', '8080/tcp']);
    return {
      env: { PORT: value },
      check: [
        `const port = Number(process.env.PORT);`,
        `if (!Number.isInteger(port) || port < 1 || port > 65535) fail(\`PORT must be a whole number from 1 to 65535, got "\${process.env.PORT}"\`);`,
      ].join('\n  '),
    };
  },
  (random) => {
    const file = random.pick(['/app/config/production.json', '/etc/my-api/config.json', '/app/settings.json']);
    return {
      env: { CONFIG_FILE: file },
      check: [
        `try {`,
        `    JSON.parse(require('node:fs').readFileSync(process.env.CONFIG_FILE, 'utf8'));`,
        `  } catch (error) {`,
        `    fail(\`cannot read the configuration file \${process.env.CONFIG_FILE}: \${error.code ?? error.message}\`);`,
        `  }`,
      ].join('\n  '),
    };
  },
  (random) => {
    const value = random.pick(['verbose', 'loud', 'trace2']);
    return {
      env: { LOG_LEVEL: value },
      check: `if (!['debug', 'info', 'warn', 'error'].includes(process.env.LOG_LEVEL)) fail(\`LOG_LEVEL must be debug, info, warn or error, got "\${process.env.LOG_LEVEL}"\`);`,
    };
  },
];

/** The app of a config-error incident. */
export function configErrorApp(random: SeededRandom, app: AppDetails): AppPlan {
  const exitCode = random.pick([78, 78, 1, 2]);
  const problem = random.pick(PROBLEMS)(random);
  const start = cmd(random.pick(['exec', 'shell'] as const), ['node', app.file]);
  const source = [
    prelude(app),
    `function fail(message) {`,
    `  warn(\`configuration error: \${message}\`);`,
    `  process.exit(${exitCode});`,
    `}`,
    `setTimeout(() => {`,
    `  log('reading configuration');`,
    `  ${problem.check}`,
    `  log('listening on :${app.port}');`,
    `  setInterval(() => log('ok'), 1000);`,
    `}, ${app.failAfterMs});`,
    ``,
  ].join('\n');
  return {
    files: [dockerfile([`COPY ${app.file} .`, start.line]), { name: app.file, content: source }],
    env: problem.env,
    expected: { pid1Command: start.pid1Command, exitCode, oomKilled: false },
  };
}
