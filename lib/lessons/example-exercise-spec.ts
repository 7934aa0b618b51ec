// A lesson's example in the lab's own exercise language: a scenario and one check per claim, so the
// example is observed and judged exactly as exercises are.
import type { z } from 'zod';
import type { CheckSpecSchema } from './check-spec-schema';
import type { LessonExample } from './lesson-example';
import type { ScenarioSchema } from './scenario-schema';

/** The scenario every example runs in. */
export const EXAMPLE_SCENARIO = 'example';
const UP_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 30_000;

/** Claims are plain text: as regular expressions for the lab's checks, they match it literally (or exactly). */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (line: string) => `^${literally(line)}$`;

type ScenarioInput = z.input<typeof ScenarioSchema>;
type CheckInput = z.input<typeof CheckSpecSchema>;
type ActionInput = ScenarioInput['actions'][number];
type AssertionInput = CheckInput['assert'];

/** `--restart` as written on the command line (`on-failure:3`), as run settings. */
function restartOf(text: string): { policy: 'no' | 'on-failure' | 'always' | 'unless-stopped'; maxRetries?: number } {
  const [policy, max] = text.split(':') as ['no' | 'on-failure' | 'always' | 'unless-stopped', string?];
  return max === undefined ? { policy } : { policy, maxRetries: Number(max) };
}

/**
 * The example as an exercise spec (scenario and checks, in exercise.yaml's language): wait for the
 * processes, exec, observe, stop, wait for the exit; then one check per claim.
 */
export function exampleExerciseSpec(example: LessonExample): { scenarios: ScenarioInput[]; checks: CheckInput[] } {
  const { spec } = example;
  const { expect } = spec;
  const waitFor = spec.waitFor ?? [expect.pid1, ...(expect.children ?? [])].filter((line): line is string => Boolean(line));
  const actions: ActionInput[] = waitFor.map((line, i) => ({ id: `up-${i + 1}`, do: 'wait-for-process', match: exactly(line), timeoutMs: UP_TIMEOUT_MS }));
  // A process that shows in ps may not have installed its signal handlers yet: wait for its word.
  if (spec.ready) actions.push({ id: 'ready', do: 'wait-for-output', match: literally(spec.ready), timeoutMs: UP_TIMEOUT_MS });
  if (spec.exec) actions.push({ id: 'exec', do: 'exec', command: spec.exec, timeoutMs: 5_000 });
  for (const [i, line] of (expect.respawned ?? []).entries()) {
    actions.push({ id: `respawn-${i + 1}`, do: 'wait-for-process', match: exactly(line), new: true, timeoutMs: UP_TIMEOUT_MS });
  }
  const observes = waitFor.length > 0 || spec.ready !== undefined || spec.waitMs !== undefined || Boolean(expect.pid1 || expect.zombies || expect.running);
  if (observes) actions.push({ id: 'observe', do: 'wait', ms: spec.waitMs ?? 200 });
  if (expect.zombies) actions.push({ id: 'ps', do: 'exec', command: ['ps', '-o', 'stat=,args='], timeoutMs: 5_000 });
  if (spec.stop !== undefined) actions.push({ id: 'stop', do: 'stop', timeoutSec: spec.stop });
  const awaitsExit = spec.stop !== undefined || expect.exitCode !== undefined || expect.exitWithinMs !== undefined;
  if (awaitsExit) actions.push({ id: 'exit', do: 'wait-for-exit', timeoutMs: EXIT_TIMEOUT_MS });
  const firstStep = actions[0]?.id ?? 'exit';

  const checks: CheckInput[] = [];
  const claim = (id: string, title: string, assert: AssertionInput) =>
    checks.push({ id, title, scenario: EXAMPLE_SCENARIO, assert, hint: `the lesson text at ${example.id}` });
  if (expect.pid1) claim('pid1', `PID 1 is ${expect.pid1}`, { type: 'pid1-command', matches: exactly(expect.pid1), at: 'observe' });
  for (const [i, child] of (expect.children ?? []).entries()) {
    claim(`child-${i + 1}`, `${child} is a child of PID 1`, { type: 'child-of', child: exactly(child), parentPid1: true, at: 'observe' });
  }
  if (expect.children) {
    const known = [expect.pid1!, ...expect.children].map(literally).join('|');
    claim('no-other-process', 'no other process runs', { type: 'process-absent', matches: `^(?!(${known})$)`, at: 'observe' });
  }
  for (const [i, zombie] of (expect.zombies ?? []).entries()) {
    claim(`zombie-${i + 1}`, `ps shows the zombie ${zombie}`, { type: 'exec-result', step: 'ps', exitCode: 0, outputMatches: `(^|\\n)\\s*Z\\S*\\s+${literally(zombie)}\\s*(\\n|$)` });
  }
  if (spec.ready) claim('ready', `it writes "${spec.ready}" once up`, { type: 'output-contains', stream: 'any', matches: literally(spec.ready) });
  if (expect.running) claim('running', 'the container is still running', { type: 'running-at', at: 'observe' });
  for (const [i, text] of (expect.output ?? []).entries()) {
    claim(`output-${i + 1}`, `it writes "${text}"`, { type: 'output-contains', stream: 'any', matches: literally(text) });
  }
  if (spec.exec && expect.execExitCode !== undefined) {
    claim('exec-exit-code', `${spec.exec.join(' ')} exits with ${expect.execExitCode}`, { type: 'exec-result', step: 'exec', exitCode: expect.execExitCode });
  }
  for (const [i, line] of (expect.respawned ?? []).entries()) {
    claim(`respawned-${i + 1}`, `${line} is started again`, { type: 'process-respawned', matches: exactly(line), after: 'exec', withinMs: UP_TIMEOUT_MS });
  }
  if (expect.exitCode !== undefined) claim('exit-code', `it exits with ${expect.exitCode}`, { type: 'exit-code', which: 'all', codes: [expect.exitCode] });
  if (expect.exitWithinMs !== undefined) {
    const after = spec.stop !== undefined ? 'stop' : firstStep;
    claim('exit-within', `it exits within ${expect.exitWithinMs} ms of ${after === 'stop' ? 'docker stop' : 'its start'}`, {
      type: 'exited-within',
      after,
      withinMs: expect.exitWithinMs,
      ...(expect.exitCode === undefined ? {} : { codes: [expect.exitCode] }),
    });
  }
  if (expect.restarts !== undefined) claim('restarts', `Docker restarts it ${expect.restarts} time(s)`, { type: 'restart-count', min: expect.restarts, max: expect.restarts });

  const run = { init: spec.run.init, env: spec.run.env, restart: restartOf(spec.run.restart) };
  return { scenarios: [{ id: EXAMPLE_SCENARIO, description: `the example at ${example.id}`, run, actions }], checks };
}
