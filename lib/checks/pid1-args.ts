// The arguments PID 1 was started with, judged from its argv as the lab read it in /proc: did the
// operator's args (a Pod spec's `args`, or `docker run IMAGE ARGS...`) reach the program itself?
import type { Assertion } from '../lessons/exercise-schema';
import { pid1 } from '../observe/process-tree';
import { argvOf, matchesProcess, runningProgram } from '../observe/program';
import { programWords } from './check-words';
import { notRunning, type ScenarioRecord, type Verdict } from './scenario-record';

/**
 * The arguments a program was given: what follows its script for an interpreter (`node --inspect
 * server.js --port 9090` gives `--port 9090`), what follows the executable otherwise.
 */
export function programArguments(argv: string[], exe?: string): string[] {
  const { script } = runningProgram(argv, exe);
  if (script === null) return argv.slice(1);
  return argv.slice(argv.indexOf(script, 1) + 1);
}

const quoted = (args: string[]) => (args.length ? args.map((arg) => JSON.stringify(arg)).join(' ') : 'no arguments');

/** pid1-args: PID 1 runs the program, with exactly these arguments. */
export function pid1Args(assertion: Extract<Assertion, { type: 'pid1-args' }>, record: ScenarioRecord): Verdict {
  const marker = record.stepEnd(assertion.at);
  const state = record.stateAt(marker.seq);
  const p1 = pid1(state.processes);
  const program = programWords(assertion.program);
  const expected = `PID 1 runs ${program} with ${quoted(assertion.args)}`;
  if (!p1)
    return { pass: false, expected, observed: `no PID 1: ${notRunning(state)}`, evidence: state.lastDie ?? marker };
  if (!matchesProcess(p1, assertion.program))
    return { pass: false, expected, observed: `PID 1 is "${p1.command}", not ${program}`, evidence: state.snapshot };
  const args = programArguments(argvOf(p1), p1.exe);
  const same = args.length === assertion.args.length && args.every((arg, i) => arg === assertion.args[i]);
  return {
    pass: same,
    expected,
    observed: `PID 1 is "${p1.command}": ${program} with ${quoted(args)}`,
    evidence: state.snapshot,
  };
}
