// The (j) scenarios driven by a plain script of docker CLI calls, as a person would: a cached build,
// `docker run` with the sandbox's flags, each step (docker top, logs, kill, stop, exec, wait, inspect),
// the logs, then `docker rm -f`.
import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Action } from '../lib/lessons/action-schema';
import type { BuildExercise } from '../lib/lessons/curriculum';
import { drawValues, runSettingsWith, withDrawnValues, withMemoryLimit } from '../lib/lessons/drawn-values';
import { RUN_LIMITS } from '../lib/sandbox/limits';
import { OWNER } from './bench-engine';

const run = promisify(execFile);

/** A process of the container whose command line matches, by `docker top` (host PIDs, full args). */
async function topMatch(id: string, pattern: RegExp): Promise<number | undefined> {
  const { stdout } = await run('docker', ['top', id, '-eo', 'pid,args']).catch(() => ({ stdout: '' }));
  for (const line of stdout.split('\n').slice(1)) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match && pattern.test(match[2])) return Number(match[1]);
  }
  return undefined;
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await delay(100);
  }
  throw new Error(`the CLI script waited in vain for ${what}`);
}

function matcherOf(match: unknown): RegExp {
  if (typeof match === 'string') return new RegExp(match);
  const { program, script } = match as { program?: string; script?: string };
  return new RegExp(`${program ? `(^|/)${program}\\b` : ''}.*${script ? script.replace(/[.]/g, '\\.') : ''}`);
}

/** One step of a scenario with the docker CLI, as a person or a plain script would do it. */
async function cliStep(id: string, action: Action): Promise<void> {
  switch (action.do) {
    case 'wait':
      return void (await delay(action.ms));
    case 'wait-for-process':
      return until(
        'a process',
        action.timeoutMs,
        async () => (await topMatch(id, matcherOf(action.match))) !== undefined,
      );
    case 'wait-for-output':
      return until('a line', action.timeoutMs, async () => {
        const { stdout, stderr } = await run('docker', ['logs', id]).catch(() => ({ stdout: '', stderr: '' }));
        return new RegExp(action.match, 'm').test(stdout + stderr);
      });
    case 'signal': {
      if (action.pid1) return void (await run('docker', ['kill', '-s', action.signal, id]).catch(() => undefined));
      const pid = await topMatch(id, matcherOf(action.match));
      if (pid) process.kill(pid, action.signal as NodeJS.Signals);
      return;
    }
    case 'stop':
      return void (await run('docker', ['stop', '-t', String(action.timeoutSec), id]).catch(() => undefined));
    case 'exec':
      return void (await run('docker', ['exec', id, ...action.command], { timeout: action.timeoutMs }).catch(
        () => undefined,
      ));
    case 'wait-for-exit':
      return void (await run('docker', ['wait', id], { timeout: action.timeoutMs }).catch(() => undefined));
    case 'wait-for-restart':
      return until('a restart', action.timeoutMs, async () => {
        const { stdout } = await run('docker', ['inspect', '-f', '{{.RestartCount}}', id]).catch(() => ({
          stdout: '0',
        }));
        return Number(stdout.trim()) >= action.count;
      });
  }
}

/** The same scenarios with the docker CLI: a cached build, docker run with the sandbox's flags, the steps, the logs. */
export async function cliRun(exercise: BuildExercise, dir: string, tag: string): Promise<void> {
  await run('docker', ['build', '-q', '-t', tag, dir]);
  for (const scenario of exercise.spec.scenarios) {
    const values = drawValues(scenario.draw);
    const settings = runSettingsWith(scenario.run, values, scenario.draw);
    const limits = withMemoryLimit(RUN_LIMITS, settings.memoryMb);
    const args = [
      'run',
      '-d',
      '--network',
      'none',
      '--memory',
      String(limits.memoryBytes),
      '--memory-swap',
      String(limits.memoryBytes),
    ];
    args.push('--pids-limit', String(RUN_LIMITS.pids), '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges');
    args.push('--label', `lab.owner=${OWNER}`);
    for (const [name, value] of Object.entries(settings.env)) args.push('-e', `${name}=${value}`);
    const policy = settings.restart.policy;
    args.push(
      '--restart',
      settings.restart.maxRetries !== undefined ? `${policy}:${settings.restart.maxRetries}` : policy,
    );
    if (settings.init) args.push('--init');
    if (settings.command) args.push('--entrypoint', settings.command[0]);
    args.push(tag, ...(settings.command ? settings.command.slice(1) : []), ...(settings.args ?? []));
    const id = await run('docker', args).then(
      (created) => created.stdout.trim(),
      async (error: { stdout?: string }) => {
        // A container created but not started is still there: remove it before giving up.
        if (error.stdout?.trim()) await run('docker', ['rm', '-f', error.stdout.trim()]).catch(() => undefined);
        throw error;
      },
    );
    try {
      for (const action of withDrawnValues(scenario.actions, values)) await cliStep(id, action);
      await run('docker', ['logs', id]);
    } finally {
      await run('docker', ['rm', '-f', id]).catch(() => undefined);
    }
  }
}
