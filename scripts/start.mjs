// `npm start`: set up what is missing, build the web app if needed, then run the lab server in this
// same process, in the foreground (no wrapper process between npm and the server: signals reach it).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureNextBuild } from './next-build.mjs';
import { SetupError, setup } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  await setup();
  ensureNextBuild();
} catch (error) {
  console.error(`[setup] ${error instanceof SetupError ? error.message : error.stack}`);
  process.exit(1);
}
process.env.NEXT_TELEMETRY_DISABLED = '1';
const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(path.join(root, 'server.ts')).href);
