// `npm start` with a setting that is not valid stops before it sets anything up, naming the variable.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');

function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('a bad setting stops npm start with the variable, its value and what it accepts', async () => {
  const { code, stdout, stderr } = await start({ LAB_TERMINAL_MAX_CONTAINERS: 'abc', PORT: '0', LAB_LOG: 'info' });
  assert.equal(code, 1);
  assert.match(stderr, /\[settings\] the lab cannot start; see Settings in README\.md/);
  assert.match(stderr, /^ {2}PORT="0" is not valid: expected a whole number from 1 to 65535$/m);
  assert.match(stderr, /^ {2}LAB_TERMINAL_MAX_CONTAINERS="abc" is not valid: expected a whole number ≥ 1$/m);
  assert.doesNotMatch(stdout + stderr, /Lab listening|docker|Docker engine/i, 'nothing was set up or started');
});
