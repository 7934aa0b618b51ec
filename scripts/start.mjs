// `npm start`: set up what is missing, build the web app if needed, then run the lab server in this
// same process, in the foreground (no wrapper process between npm and the server: signals reach it).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureNextBuild } from './next-build.mjs';
import { SetupError, ensureNpmDependencies, setup } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function stop(stage, error) {
  console.error(`[${stage}] ${error instanceof SetupError ? error.message : error.stack}`);
  process.exit(1);
}

try {
  ensureNpmDependencies();
} catch (error) {
  stop('setup', error);
}

// The settings next: a wrong value stops here, before an engine or an image is set up.
const { register } = await import('tsx/esm/api');
register();
const { ConfigError, config } = await import(pathToFileURL(path.join(root, 'lib', 'config.ts')).href);
try {
  config();
} catch (error) {
  if (!(error instanceof ConfigError)) stop('settings', error);
  console.error(
    `[settings] the lab cannot start; see Settings in README.md:\n${error.problems.map((problem) => `  ${problem}`).join('\n')}`,
  );
  process.exit(1);
}

try {
  await setup({ npm: false });
  ensureNextBuild();
} catch (error) {
  stop('setup', error);
}
process.env.NEXT_TELEMETRY_DISABLED = '1';
await import(pathToFileURL(path.join(root, 'server.ts')).href);
