// Runs a TypeScript entry point of the project after the setup it needs (npm dependencies, Docker
// engine, lab images), in this same process: `node scripts/run-ts.mjs scripts/lab.ts check ...`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SetupError, setup } from './setup.mjs';

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args...]');
  process.exit(2);
}
try {
  await setup({ docker: process.env.LAB_SKIP_DOCKER_SETUP !== '1' });
} catch (error) {
  console.error(`[setup] ${error instanceof SetupError ? error.message : error.stack}`);
  process.exit(2);
}
const { register } = await import('tsx/esm/api');
register();
process.argv = [process.argv[0], path.resolve(script), ...args];
await import(pathToFileURL(path.resolve(script)).href);
