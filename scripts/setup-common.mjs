// What the setup's steps share: the checkout's root, the setup's log and error, running a command,
// and whether Debian's packages can be installed here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root folder. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Setup talks on stderr: stdout belongs to the command it runs before (`lab check --json` prints JSON there). */
export function log(message) {
  console.error(`[setup] ${message}`);
}

/** A step could not be done: its message says what to do about it (no stack trace is shown). */
export class SetupError extends Error {}

/** Runs a command to its end, its output on this terminal; throws a SetupError when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new SetupError(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${command} ${args.join(' ')} exited with code ${result.status}`);
}

/** True where apt-get can install Debian's packages: Debian, as root. */
export function canInstallDebianPackages() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  if (!fs.existsSync('/etc/debian_version')) return false;
  return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** True when `name` is a command on the PATH. */
export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Resolves true once `check()` does, polling every `stepMs`; false after `timeoutMs`. */
export async function waitFor(check, timeoutMs, stepMs = 250) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return false;
}
