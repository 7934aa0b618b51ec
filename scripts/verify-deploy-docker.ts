// The docker CLI as `npm run verify-deploy` runs it: the classic builder, output kept (and logged to a
// file when asked), a failure thrown as a VerifyError with the last lines it printed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { VerifyError } from './verify-error';

/** Runs the docker CLI; resolves with its output, or rejects with it when it fails. */
export function docker(
  args: string[],
  options: { log?: string; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const log = options.log ? fs.createWriteStream(options.log) : null;
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk), log?.write(chunk)));
    child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk), log?.write(chunk)));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('close', (code) => {
      clearTimeout(timer);
      log?.end();
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new VerifyError(
            `docker ${args.slice(0, 2).join(' ')} exited with ${code}: ${(stderr || stdout).trim().split('\n').slice(-5).join('\n')}`,
          ),
        );
    });
  });
}
