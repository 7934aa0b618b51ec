// The stop signal's path, judged from the process tree: did the signal Docker sends PID 1 reach the
// program itself?
import type { Assertion } from '../lessons/exercise-schema';
import { pid1 } from '../observe/process-tree';
import { argvOf, matchesProcess, roleOf } from '../observe/program';
import type { EventOf, TimelineEvent } from '../observe/timeline-event';
import { programWords, stepWords } from './check-words';
import { tracedSignalPath } from './signal-path';
import { describeProcesses, named, notRunning, type ScenarioRecord, type Verdict } from './scenario-record';

/**
 * signal-reaches: the stop signal goes to PID 1 only. It reached the program when the program was
 * PID 1, or the child of an init or a supervisor as PID 1 (they pass it on), or the child of a shell as
 * PID 1 that passed it on: then the program ended while the shell still ran. Where the kernel's
 * signals were traced, the program must have got the stop's signal itself (see signal-path.ts).
 */
export function signalReaches(
  assertion: Extract<Assertion, { type: 'signal-reaches' }>,
  record: ScenarioRecord,
): Verdict {
  const start = record.stepStart(assertion.after);
  const end = record.stepEnd(assertion.after);
  const program = programWords(assertion.program);
  const expected = `the signal of ${stepWords(start)} reaches ${program} itself`;
  const state = record.stateAt(start.seq);
  const target = state.processes.find((p) => p.state !== 'Z' && matchesProcess(p, assertion.program));
  if (!target)
    return {
      pass: false,
      expected,
      observed: `${program} was not running when the step began: ${state.running ? describeProcesses(state.processes) : notRunning(state)}`,
      evidence: state.snapshot ?? start,
    };
  if (target.pid === 1)
    return { pass: true, expected, observed: `${program} was PID 1: the signal went to it`, evidence: state.snapshot };
  const traced = tracedSignalPath(record, start, target, program, expected, assertion.letFinish);
  if (traced) return traced;
  const parent = state.processes.find((p) => p.pid === target.ppid);
  const init = pid1(state.processes);
  // An init that signals its child's whole process group (tini -g, dumb-init by default) reaches the
  // program wherever it is below it.
  if (init && init !== target && roleOf(argvOf(init), init.exe) === 'init' && signalsGroup(argvOf(init), init.exe)) {
    return {
      pass: true,
      expected,
      observed: `PID 1 is ${init.command}, an init that passes the signal to its child's whole process group, ${program} included`,
      evidence: state.snapshot,
    };
  }
  const chain = `${named(target)} is a child of ${parent ? named(parent) : `PID ${target.ppid}`}`;
  if (!parent || parent.pid !== 1) {
    return {
      pass: false,
      expected,
      observed: `the signal goes to PID 1${init ? ` (${init.command})` : ''}; ${chain}, not of PID 1, so the signal stops before it`,
      evidence: state.snapshot,
    };
  }
  const role = roleOf(argvOf(parent), parent.exe);
  if (role === 'init' || role === 'supervisor')
    return {
      pass: true,
      expected,
      observed: `${chain}, ${role === 'init' ? 'an init' : 'a supervisor'} that passes the signal on`,
      evidence: state.snapshot,
    };
  if (role === 'shell') {
    // A shell passed it on if the program ended while the shell still ran (seen when the samples fall
    // between the two ends), or if the shell, which cannot die of SIGTERM as PID 1, ended the container
    // with 143: the program's death by SIGTERM, passed on by `wait` and `exit $?`. A shell that traps the
    // signal and exits by itself (0) leaves the program to be killed when the container ends.
    const endedFirst = endedBeforePid1(record, start, target.pid);
    const die = record.of('container-die').find((event) => event.seq > start.seq);
    const passedOn = die && die.exitCode === 143 && die.t - start.t < stopGraceMs(start) ? die : undefined;
    const evidence = endedFirst ?? passedOn;
    return {
      pass: Boolean(evidence),
      expected,
      observed: endedFirst
        ? `${chain}; it ended at ${endedFirst.t} ms while the shell still ran: the shell passed the signal on`
        : passedOn
          ? `${chain}; the container ended ${passedOn.t - start.t} ms after with 143, the program's death by SIGTERM passed on by the shell`
          : `${chain}, a shell: PID 1 got the signal, and ${program} ran until the container ended (the shell did not pass it on)`,
      evidence: evidence ?? end,
    };
  }
  return { pass: false, expected, observed: `${chain}, which does not pass signals on`, evidence: state.snapshot };
}

/**
 * The first sample after `start` in which the process `pid` is gone (or a zombie) while PID 1 still
 * runs. PID 1 still listed but exiting does not count: it stays so while the kernel kills the rest of
 * the container, the program included, whatever PID 1 did.
 */
function endedBeforePid1(record: ScenarioRecord, start: TimelineEvent, pid: number): EventOf<'snapshot'> | undefined {
  return record
    .of('snapshot')
    .filter((snapshot) => snapshot.seq > start.seq)
    .find(
      (snapshot) =>
        snapshot.processes.some((p) => p.pid === 1 && !p.exiting) &&
        !snapshot.processes.some((p) => p.pid === pid && p.state !== 'Z'),
    );
}

/** The stop step's grace period in ms (its timeout), from the step's description; 10 s by default. */
function stopGraceMs(begun: EventOf<'action-start'>): number {
  const grace = /-t (\d+)/.exec(begun.detail);
  return grace ? Number(grace[1]) * 1000 : 10_000;
}

/** True for an init that signals its child's process group: `tini -g`, dumb-init unless told --single-child. */
function signalsGroup(argv: string[], exe?: string): boolean {
  const name = (exe ?? argv[0] ?? '').split('/').pop() ?? '';
  // The init's own options: those before `--` or its first operand (the child's command and its flags
  // follow). `tini -e 143`, `tini -p SIGKILL` and `dumb-init -r 15:2` take a value.
  const options: string[] = [];
  for (let i = 1; i < argv.length && argv[i] !== '--' && argv[i].startsWith('-'); i++) {
    options.push(argv[i]);
    if (/^(-[ep]|-r|--rewrite)$/.test(argv[i])) i++;
  }
  if (/^(tini|tini-static|docker-init)$/.test(name)) return options.some((option) => /^-[a-zA-Z]*g/.test(option));
  if (name === 'dumb-init') return !options.some((option) => option === '-c' || option === '--single-child');
  return false;
}
