// Judges an exercise from its recorded timeline: (check specs, events) -> results. Pure: it reads
// only what the processes did, never the learner's files.
import type { Assertion, CheckSpec } from '../lessons/exercise-schema';
import { describeDiskUse, describeExit } from '../observe/exit-status';
import { pid1 } from '../observe/process-tree';
import { argvOf, describeMatcher, matchesProcess, processPhrase, roleOf } from '../observe/program';
import type { EventOf, ProcessInfo, TimelineEvent } from '../observe/timeline-event';
import { referencesIn, withDrawnValues } from '../lessons/drawn-values';
import type { CheckResult, Evidence } from './check-result';

type Verdict = { pass: boolean; expected: string; observed: string; evidence?: TimelineEvent };

/** Thrown inside an assertion when the step it refers to was never reached. */
class NotReached extends Error {}

function summarize(event: TimelineEvent): string {
  switch (event.type) {
    case 'snapshot':
      return event.processes.length
        ? event.processes.map((p) => `${p.pid}:${p.command}`).join(', ')
        : 'no processes';
    case 'container-die':
      return `exited with ${describeExit(event.exitCode, event.oomKilled)}`;
    case 'output':
      return `${event.stream}: ${event.text}`;
    case 'process-spawn':
    case 'process-exit':
      return `PID ${event.process.pid} ${event.process.command}`;
    case 'action-end':
    case 'action-start':
      return `${event.action}: ${'detail' in event ? event.detail : ''}`;
    case 'build-end':
      return event.ok ? 'built' : (event.error ?? 'build failed');
    default:
      return event.type;
  }
}

function evidenceOf(event: TimelineEvent | undefined): Evidence | undefined {
  return event && { seq: event.seq, t: event.t, type: event.type, summary: summarize(event) };
}

function describeProcesses(processes: ProcessInfo[]): string {
  return processes.length ? processes.map((p) => `PID ${p.pid} (parent ${p.ppid}) ${p.command}${p.state === 'Z' ? ' <zombie>' : ''}`).join('; ') : 'no processes';
}

/** The events of one scenario, and the queries assertions ask of them. */
class ScenarioRecord {
  constructor(readonly events: TimelineEvent[]) {}

  of<K extends TimelineEvent['type']>(type: K): EventOf<K>[] {
    return this.events.filter((event): event is EventOf<K> => event.type === type);
  }

  stepEnd(step: string): EventOf<'action-end'> {
    const end = this.of('action-end').find((event) => event.action === step);
    if (!end) {
      const deadline = this.of('deadline')[0];
      throw new NotReached(
        deadline ? `the scenario hit its ${deadline.limitMs} ms deadline before step "${step}"` : `step "${step}" never ran`,
      );
    }
    return end;
  }

  stepStart(step: string): EventOf<'action-start'> {
    const start = this.of('action-start').find((event) => event.action === step);
    if (!start) throw new NotReached(`step "${step}" never ran`);
    return start;
  }

  /** Processes and container state as of the event `seq`. */
  stateAt(seq: number): { running: boolean; processes: ProcessInfo[]; snapshot?: EventOf<'snapshot'>; lastDie?: EventOf<'container-die'>; diskLimit?: EventOf<'disk-limit'> } {
    const before = this.events.filter((event) => event.seq <= seq);
    const lifecycle = before.filter((event) => event.type === 'container-start' || event.type === 'container-die').at(-1);
    const snapshot = before.filter((event): event is EventOf<'snapshot'> => event.type === 'snapshot').at(-1);
    const running = lifecycle?.type === 'container-start';
    const lastDie = before.filter((event): event is EventOf<'container-die'> => event.type === 'container-die').at(-1);
    const diskLimit = before.filter((event): event is EventOf<'disk-limit'> => event.type === 'disk-limit').at(-1);
    return { running, processes: running ? (snapshot?.processes ?? []) : [], snapshot, lastDie, diskLimit };
  }
}

function notRunning(state: ReturnType<ScenarioRecord['stateAt']>): string {
  if (state.running) return state.processes.length ? 'PID 1 was not among the processes sampled' : 'no process had been sampled yet';
  if (!state.lastDie) return 'the container was not running';
  const disk = state.diskLimit && state.diskLimit.seq < state.lastDie.seq ? `; the lab stopped it: ${describeDiskUse(state.diskLimit)}` : '';
  return `the container had already exited (${describeExit(state.lastDie.exitCode, state.lastDie.oomKilled)}${disk})`;
}

/** Exit codes as numbers: drawn values (`${NAME}`) were put in before the assertion was assessed. */
function numeric(codes: (number | string)[] | undefined): number[] | undefined {
  return codes?.map(Number);
}

function codesText(codes: number[]): string {
  return codes.map((code) => describeExit(code)).join(' or ');
}

function assess(assertion: Assertion, record: ScenarioRecord): Verdict {
  switch (assertion.type) {
    case 'pid1-command': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      const p1 = pid1(state.processes);
      const expected = `PID 1 runs ${describeMatcher(assertion.matches)}`;
      if (!p1) return { pass: false, expected, observed: `no PID 1: ${notRunning(state)}`, evidence: state.lastDie ?? marker };
      const is = matchesProcess(p1, assertion.matches);
      // The program itself, not a wrapper of the same name in front of the real one (a restarter, a
      // parent that forked the server): no other process runs the same program.
      const copy = is && typeof assertion.matches !== 'string' ? state.processes.find((p) => p.pid !== 1 && p.state !== 'Z' && matchesProcess(p, assertion.matches)) : undefined;
      if (copy) return { pass: false, expected, observed: `PID 1 is "${p1.command}", and ${named(copy)} runs the same program: PID 1 stands in front of the one doing the work`, evidence: state.snapshot };
      return { pass: is, expected, observed: `PID 1 is "${p1.command}"`, evidence: state.snapshot };
    }
    case 'process-present':
    case 'process-absent': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      const match = state.processes.find((p) => p.state !== 'Z' && matchesProcess(p, assertion.matches));
      const present = assertion.type === 'process-present';
      return {
        pass: present === Boolean(match),
        expected: `${present ? 'a' : 'no'} ${processPhrase(assertion.matches)} at step "${assertion.at}"`,
        observed: state.running ? describeProcesses(state.processes) : notRunning(state),
        evidence: state.snapshot ?? marker,
      };
    }
    case 'child-of': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      const parents = assertion.parentPid1 || !assertion.parent
        ? state.processes.filter((p) => p.pid === 1)
        : state.processes.filter((p) => matchesProcess(p, assertion.parent!));
      const ok = state.processes.some((p) => p.state !== 'Z' && matchesProcess(p, assertion.child) && parents.some((parent) => parent.pid === p.ppid));
      return {
        pass: ok,
        expected: `a ${processPhrase(assertion.child)} whose parent is ${assertion.parentPid1 || !assertion.parent ? 'PID 1' : `the ${processPhrase(assertion.parent)}`}`,
        observed: state.running ? describeProcesses(state.processes) : notRunning(state),
        evidence: state.snapshot ?? marker,
      };
    }
    case 'running-at': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      return {
        pass: state.running,
        expected: `the container is running at step "${assertion.at}" (${marker.t} ms)`,
        observed: state.running ? `running: ${describeProcesses(state.processes)}` : notRunning(state),
        evidence: state.running ? (state.snapshot ?? marker) : (state.lastDie ?? marker),
      };
    }
    case 'exited-within': {
      const start = record.stepStart(assertion.after);
      const end = record.stepEnd(assertion.after);
      const codes = numeric(assertion.codes);
      const expected = `the container exits within ${assertion.withinMs} ms of step "${assertion.after}"${codes ? ` with ${codesText(codes)}` : ''}`;
      if (end.outcome === 'skipped') return { pass: false, expected, observed: `the step could not run: ${end.detail}`, evidence: end };
      const die = record.of('container-die').find((event) => event.seq > start.seq);
      if (!die) return { pass: false, expected, observed: 'it was still running when the scenario ended', evidence: record.of('scenario-end')[0] ?? end };
      const after = die.t - start.t;
      const inTime = after <= assertion.withinMs;
      const codeOk = !codes || codes.includes(die.exitCode);
      return {
        pass: inTime && codeOk,
        expected,
        observed: `it exited ${after} ms after, with ${describeExit(die.exitCode, die.oomKilled)}`,
        evidence: die,
      };
    }
    case 'exit-code': {
      const dies = record.of('container-die');
      const codes = numeric(assertion.codes) ?? [0];
      const expectedCodes = assertion.nonZero ? 'a non-zero exit code' : `exit code ${codesText(codes)}`;
      const expected = `${assertion.which === 'all' ? 'every' : `the ${assertion.which}`} exit has ${expectedCodes}`;
      if (dies.length === 0) return { pass: false, expected, observed: 'the container never exited on its own during the scenario' };
      const ok = (code: number) => (assertion.nonZero ? code !== 0 : codes.includes(code));
      const judged = assertion.which === 'all' ? dies : assertion.which === 'first' ? [dies[0]] : [dies.at(-1)!];
      const bad = judged.find((die) => !ok(die.exitCode));
      return {
        pass: !bad,
        expected,
        observed: `exit codes: ${dies.map((die) => describeExit(die.exitCode, die.oomKilled)).join('; ')}`,
        evidence: bad ?? judged.at(-1),
      };
    }
    case 'restart-count': {
      const restarts = record.of('container-restart');
      const count = restarts.length;
      const min = assertion.min ?? 0;
      const max = assertion.max ?? Infinity;
      return {
        pass: count >= min && count <= max,
        expected: max === Infinity ? `Docker restarts the container at least ${min} time(s)` : min === max ? `Docker restarts the container exactly ${min} time(s)` : `between ${min} and ${max} restarts`,
        observed: `${count} restart(s)`,
        evidence: restarts.at(-1) ?? record.of('container-die').at(-1),
      };
    }
    case 'output-contains': {
      const firstStart = record.of('container-start')[0];
      const pattern = new RegExp(assertion.matches);
      const lines = record.of('output').filter((event) => assertion.stream === 'any' || event.stream === assertion.stream);
      const match = lines.find(
        (event) => pattern.test(event.text) && (!assertion.withinMs || (firstStart && event.t - firstStart.t <= assertion.withinMs)),
      );
      const last = lines.slice(-3).map((event) => `${event.stream}: ${event.text}`).join(' | ');
      return {
        pass: Boolean(match),
        expected: `a line on ${assertion.stream === 'any' ? 'stdout or stderr' : assertion.stream} matching /${assertion.matches}/${assertion.withinMs ? ` within ${assertion.withinMs} ms of the start` : ''}`,
        observed: match ? `${match.stream} at ${firstStart ? match.t - firstStart.t : match.t} ms: ${match.text}` : lines.length ? `${lines.length} line(s), none matching; last: ${last}` : 'nothing was written there',
        evidence: match ?? lines.at(-1),
      };
    }
    case 'no-file-created': {
      const diffs = record.of('fs-changes');
      const fsChanges = diffs.at(-1);
      const expected = `no file created or changed at a path matching /${assertion.pattern}/`;
      if (!fsChanges) return { pass: false, expected, observed: 'the container filesystem could not be read (the container never ran)' };
      const pattern = new RegExp(assertion.pattern);
      // Every diff taken (before the stop and at the end): a file removed on the way out was still written.
      const all = [...new Map(diffs.flatMap((diff) => diff.changes).map((change) => [`${change.kind} ${change.path}`, change])).values()];
      const hits = all.filter((change) => change.kind !== 'deleted' && pattern.test(change.path));
      return {
        pass: hits.length === 0,
        expected,
        observed: hits.length ? hits.map((change) => `${change.kind} ${change.path}`).join(', ') : 'no such path in the filesystem diff',
        evidence: fsChanges,
      };
    }
    case 'no-pid-file':
    case 'no-log-file':
      return writtenFileKinds(assertion, record);
    case 'signal-reaches':
      return signalReaches(assertion, record);
    case 'started-once-per-start':
      return startedOncePerStart(assertion, record);
    case 'output-once-per-start':
      return outputOncePerStart(assertion, record);
    case 'exit-code-as-logged':
      return exitCodeAsLogged(assertion, record);
    case 'process-respawned': {
      const start = record.stepStart(assertion.after);
      const end = record.stepEnd(assertion.after);
      const expected = `a new ${processPhrase(assertion.matches)} within ${assertion.withinMs} ms of step "${assertion.after}"`;
      if (end.outcome === 'skipped') return { pass: false, expected, observed: `the step could not run: ${end.detail}`, evidence: end };
      const spawn = record.of('process-spawn').find((event) => event.seq > start.seq && matchesProcess(event.process, assertion.matches));
      if (!spawn) return { pass: false, expected, observed: 'no such process appeared', evidence: end };
      return {
        pass: spawn.t - start.t <= assertion.withinMs,
        expected,
        observed: `PID ${spawn.process.pid} (${spawn.process.command}) appeared ${spawn.t - start.t} ms after`,
        evidence: spawn,
      };
    }
    case 'exec-result': {
      const end = record.stepEnd(assertion.step);
      const result = record.of('exec-result').find((event) => event.action === assertion.step);
      const expected = `the command exits with ${assertion.exitCode}${assertion.outputMatches ? ` and prints /${assertion.outputMatches}/` : ''}`;
      if (!result) return { pass: false, expected, observed: `the command could not run: ${end.detail}`, evidence: end };
      const outputOk = !assertion.outputMatches || new RegExp(assertion.outputMatches).test(result.output);
      return {
        pass: result.exitCode === assertion.exitCode && outputOk,
        expected,
        observed: `exit code ${result.exitCode}${result.output.trim() ? `, output: ${result.output.trim().slice(0, 200)}` : ''}`,
        evidence: result,
      };
    }
  }
}

/** A process as the learner sees it in the tree: `PID 7 /bin/sh -c node worker.js`. */
const named = (process: ProcessInfo) => `PID ${process.pid} (${process.command})`;

/**
 * signal-reaches: the stop signal goes to PID 1 only. It reached the program when the program was
 * PID 1, or the child of an init or a supervisor as PID 1 (they pass it on), or the child of a shell as
 * PID 1 that passed it on: then the program ended while the shell still ran.
 */
function signalReaches(assertion: Extract<Assertion, { type: 'signal-reaches' }>, record: ScenarioRecord): Verdict {
  const start = record.stepStart(assertion.after);
  const end = record.stepEnd(assertion.after);
  const program = describeMatcher(assertion.program);
  const expected = `the signal of step "${assertion.after}" reaches ${program} itself`;
  const state = record.stateAt(start.seq);
  const target = state.processes.find((p) => p.state !== 'Z' && matchesProcess(p, assertion.program));
  if (!target) return { pass: false, expected, observed: `${program} was not running when the step began: ${state.running ? describeProcesses(state.processes) : notRunning(state)}`, evidence: state.snapshot ?? start };
  if (target.pid === 1) return { pass: true, expected, observed: `${program} was PID 1: the signal went to it`, evidence: state.snapshot };
  const parent = state.processes.find((p) => p.pid === target.ppid);
  const init = pid1(state.processes);
  // An init that signals its child's whole process group (tini -g, dumb-init by default) reaches the
  // program wherever it is below it.
  if (init && init !== target && roleOf(argvOf(init), init.exe) === 'init' && signalsGroup(argvOf(init), init.exe)) {
    return { pass: true, expected, observed: `PID 1 is ${init.command}, an init that passes the signal to its child's whole process group, ${program} included`, evidence: state.snapshot };
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
  if (role === 'init' || role === 'supervisor') return { pass: true, expected, observed: `${chain}, ${role === 'init' ? 'an init' : 'a supervisor'} that passes the signal on`, evidence: state.snapshot };
  if (role === 'shell') {
    // A shell passed it on if the program ended while the shell still ran (seen when the samples fall
    // between the two ends), or if the shell, which cannot die of SIGTERM as PID 1, ended the container
    // with 143: the program's death by SIGTERM, passed on by `wait` and `exit $?`. A shell that traps the
    // signal and exits by itself (0) leaves the program to be killed when the container ends.
    const after = record.of('snapshot').filter((snapshot) => snapshot.seq > start.seq);
    const endedFirst = after.find((snapshot) => snapshot.processes.some((p) => p.pid === 1) && !snapshot.processes.some((p) => p.pid === target.pid && p.state !== 'Z'));
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

/** started-once-per-start: within each start of the container the program started once: nothing restarted it inside. */
function startedOncePerStart(assertion: Extract<Assertion, { type: 'started-once-per-start' }>, record: ScenarioRecord): Verdict {
  const program = describeMatcher(assertion.program);
  const expected = `${program} starts once each time the container starts (Docker restarts it, not a script)`;
  let starts = 0;
  let worst = { count: 0, evidence: undefined as TimelineEvent | undefined };
  let seen = new Set<number>();
  for (const event of record.events) {
    if (event.type === 'container-start') {
      starts += 1;
      seen = new Set();
    } else if (event.type === 'snapshot') {
      for (const p of event.processes) if (p.state !== 'Z' && matchesProcess(p, assertion.program)) seen.add(p.hostPid ?? p.pid);
      if (seen.size > worst.count) worst = { count: seen.size, evidence: event };
    }
  }
  return {
    pass: worst.count <= 1,
    expected,
    observed: worst.count > 1 ? `${program} started ${worst.count} times within one start of the container: something in the container started it again` : `${starts} start(s) of the container, ${program} once in each`,
    evidence: worst.evidence,
  };
}

/** The scenario's events cut at each container start: what belongs to each start of the container. */
function perStart(record: ScenarioRecord): TimelineEvent[][] {
  const starts: TimelineEvent[][] = [];
  for (const event of record.events) {
    if (event.type === 'container-start') starts.push([]);
    starts.at(-1)?.push(event);
  }
  return starts;
}

/** output-once-per-start: the program's "started" line at most once in each start of the container. */
function outputOncePerStart(assertion: Extract<Assertion, { type: 'output-once-per-start' }>, record: ScenarioRecord): Verdict {
  const pattern = new RegExp(assertion.matches);
  const expected = `at most one line matching /${assertion.matches}/ in each start of the container (the program is started again by Docker, not inside)`;
  for (const [index, events] of perStart(record).entries()) {
    const lines = events.filter((event): event is EventOf<'output'> => event.type === 'output' && pattern.test(event.text));
    if (lines.length > 1) {
      return { pass: false, expected, observed: `${lines.length} such lines in start ${index + 1} of the container: the program was started again inside it`, evidence: lines[1] };
    }
  }
  return { pass: true, expected, observed: `${perStart(record).length} start(s), at most one such line in each` };
}

/** exit-code-as-logged: each exit carries the code the program said it exits with, just before. */
function exitCodeAsLogged(assertion: Extract<Assertion, { type: 'exit-code-as-logged' }>, record: ScenarioRecord): Verdict {
  const pattern = new RegExp(assertion.matches);
  const expected = 'every exit of the container has the exit code the program chose (it says which in its log)';
  const dies = record.of('container-die');
  if (dies.length === 0) return { pass: false, expected, observed: 'the container never exited on its own during the scenario' };
  const seen: string[] = [];
  for (const events of perStart(record)) {
    const die = events.find((event): event is EventOf<'container-die'> => event.type === 'container-die');
    if (!die) continue;
    const said = events.filter((event): event is EventOf<'output'> => event.type === 'output' && event.seq < die.seq && pattern.test(event.text)).at(-1);
    const code = said ? Number(pattern.exec(said.text)?.[1]) : undefined;
    if (code === undefined || Number.isNaN(code)) {
      return { pass: false, expected, observed: `the container exited with ${describeExit(die.exitCode, die.oomKilled)} before the program said which code it exits with`, evidence: die };
    }
    seen.push(`the program chose ${code}, the container reported ${die.exitCode}`);
    if (code !== die.exitCode) return { pass: false, expected, observed: `${seen.join('; ')}: something between Docker and the program replaced its code`, evidence: die };
  }
  return { pass: true, expected, observed: seen.join('; ') };
}

/** PIDs the lab saw in the container during the scenario, inside it and on the host. */
function observedPids(record: ScenarioRecord): Set<number> {
  const pids = new Set<number>();
  for (const snapshot of record.of('snapshot')) {
    for (const process of snapshot.processes) {
      pids.add(process.pid);
      if (process.hostPid) pids.add(process.hostPid);
    }
  }
  return pids;
}

const PID_FILE_NAME = /(\.pid|^pid|pidfile)$/i;

/**
 * The PID a small file holds, the ways programs write one: the number alone, `pid=N` or a JSON
 * `"pid": N`, or a lock file's first number. Null for anything else (a log line that mentions a PID is
 * not a PID file).
 */
function pidHeld(text: string, fileName: string): number | null {
  if (text.length > 1024) return null;
  const alone = /^\s*(\d{1,7})\s*$/.exec(text);
  const keyed = /\bpid\b["']?\s*[:=]\s*["']?(\d{1,7})\b/i.exec(text);
  const locked = /\.lock$/i.test(fileName) ? /\b(\d{1,7})\b/.exec(text) : null;
  const match = alone ?? keyed ?? locked;
  return match ? Number(match[1]) : null;
}
const LOG_FILE_NAME = /\.log(\.\d+)?$/i;

/** no-pid-file and no-log-file: every file the container wrote, judged by name and by what it holds. */
function writtenFileKinds(assertion: Extract<Assertion, { type: 'no-pid-file' | 'no-log-file' }>, record: ScenarioRecord): Verdict {
  // Everything read, before the stop and at the end: a PID file removed on SIGTERM was still a PID file.
  const diffs = record.of('fs-changes');
  const reads = record.of('file-heads');
  const changes = diffs.length ? { changes: [...new Map(diffs.flatMap((diff) => diff.changes).map((change) => [change.path, change])).values()] } : undefined;
  const heads = reads.length ? { files: [...new Map(reads.flatMap((read) => read.files).map((file) => [file.path, file])).values()], seq: reads.at(-1)!.seq } : undefined;
  const pidFiles = assertion.type === 'no-pid-file';
  const expected = pidFiles
    ? 'no PID file anywhere in the container (no *.pid file, no file holding the PID of one of its processes)'
    : `no log file anywhere in the container (no *.log file, nothing under /var/log${assertion.lines ? `, no file holding lines like /${assertion.lines}/` : ''})`;
  if (!changes || !heads) return { pass: false, expected, observed: 'the container filesystem could not be read (the container never ran)' };
  // What the diff shows, and what was read outside it (/dev/shm).
  const written = [...changes.changes.filter((change) => change.kind !== 'deleted'), ...heads.files.filter((file) => !changes.changes.some((change) => change.path === file.path)).map((file) => ({ kind: 'added' as const, path: file.path }))];
  const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const headOf = new Map(heads.files.map((file) => [file.path, file]));
  const found: string[] = [];
  if (pidFiles) {
    const pids = observedPids(record);
    for (const change of written) {
      const head = headOf.get(change.path);
      if (!head) continue;
      const pid = pidHeld(head.head, name(change.path));
      if (PID_FILE_NAME.test(name(change.path))) found.push(`${change.path} (named like a PID file)`);
      else if (pid !== null && pids.has(pid)) found.push(`${change.path} (holds ${pid}, the PID of a process of the container)`);
    }
  } else {
    const lines = assertion.lines ? new RegExp(assertion.lines) : null;
    for (const change of written) {
      const head = headOf.get(change.path);
      if (!head) continue;
      const logged = lines && head.head.split('\n').some((line) => lines.test(line));
      if (LOG_FILE_NAME.test(name(change.path)) || change.path.startsWith('/var/log/')) found.push(`${change.path} (a log file by its name or place)`);
      else if (logged) found.push(`${change.path} (holds the app's log lines)`);
    }
  }
  return {
    pass: found.length === 0,
    expected,
    observed: found.length ? found.join(', ') : `none among the ${written.length} path(s) the container wrote`,
    evidence: reads.at(-1),
  };
}

/**
 * The hint for a failed check: the one for what PID 1 was (a shell, an init, a supervisor, a
 * placeholder, the program), where the exercise has one, so that an init in front of the program does
 * not get a hint about shells.
 */
function hintFor(check: CheckSpec, record: ScenarioRecord): string {
  if (!check.hints) return check.hint;
  const at = 'at' in check.assert ? record.of('action-end').find((event) => event.action === (check.assert as { at: string }).at) : undefined;
  const snapshots = record.of('snapshot').filter((snapshot) => !at || snapshot.seq <= at.seq);
  const first = [...snapshots].reverse().map((snapshot) => pid1(snapshot.processes)).find(Boolean);
  return (first && check.hints[roleOf(argvOf(first), first.exe)]) ?? check.hint;
}

/** A synthetic first check: the image builds (or the lab refused the files before building). */
function buildCheck(events: TimelineEvent[]): CheckResult {
  const rejected = events.filter((event): event is EventOf<'rejected'> => event.type === 'rejected');
  const end = events.find((event): event is EventOf<'build-end'> => event.type === 'build-end');
  const base = { id: 'image-builds', title: 'The image builds', bonus: false, expected: 'the lab accepts the files and the image builds' };
  if (rejected.length) {
    const observed = rejected.map((r) => `${r.file}${r.line ? `:${r.line}` : ''}: ${r.message}`).join('; ');
    return { ...base, status: 'fail', observed, message: `refused before building: ${observed}`, evidence: evidenceOf(rejected[0]), hint: 'Fix the line named above and run again.' };
  }
  if (!end) return { ...base, status: 'error', observed: 'the build did not finish', message: 'the build did not finish' };
  if (end.ok) return { ...base, status: 'pass', observed: `built in ${end.durationMs} ms`, message: `built in ${end.durationMs} ms`, evidence: evidenceOf(end) };
  const log = events.filter((event): event is EventOf<'build-output'> => event.type === 'build-output').slice(-30).map((event) => event.text);
  const where = end.line ? `${end.file ?? 'Dockerfile'}:${end.line}: ` : '';
  return {
    ...base,
    status: 'fail',
    observed: `${where}${end.error}`,
    message: `the build failed: ${where}${end.error}`,
    evidence: { ...evidenceOf(end)!, buildLog: log },
    hint: 'Read the build output: the failing step and its error are at the end.',
  };
}

/** Evaluates every check over the timeline, in order, after the synthetic build check. */
export function evaluateChecks(checks: CheckSpec[], events: TimelineEvent[]): CheckResult[] {
  const build = buildCheck(events);
  const results: CheckResult[] = [build];
  for (const check of checks) {
    const base = { id: check.id, title: check.title, bonus: check.bonus, scenario: check.scenario };
    if (build.status !== 'pass') {
      const observed = build.status === 'error' ? 'the build did not finish' : 'not observed: the image did not build';
      results.push({ ...base, status: build.status, expected: check.title, observed, message: observed, hint: build.hint });
      continue;
    }
    const scenarioEvents = events.filter((event) => event.scenario === check.scenario);
    const platformError = scenarioEvents.find((event): event is EventOf<'platform-error'> => event.type === 'platform-error');
    if (platformError) {
      results.push({ ...base, status: 'error', expected: check.title, observed: platformError.message, message: `the lab could not observe this: ${platformError.message}`, evidence: evidenceOf(platformError) });
      continue;
    }
    // Values the lab drew for this run stand for ${NAME} in the assertion, and the learner is told them.
    const drawn = scenarioEvents.find((event): event is EventOf<'scenario-start'> => event.type === 'scenario-start')?.drawn ?? {};
    const used = referencesIn(JSON.stringify(check.assert)).filter((name) => name in drawn);
    const drawnNote = used.length ? ` (drawn for this run: ${used.map((name) => `${name}=${drawn[name]}`).join(', ')})` : '';
    let verdict: Verdict;
    try {
      verdict = assess(withDrawnValues(check.assert, drawn), new ScenarioRecord(scenarioEvents));
      verdict = { ...verdict, expected: `${verdict.expected}${drawnNote}` };
    } catch (error) {
      if (!(error instanceof NotReached)) throw error;
      verdict = { pass: false, expected: check.title, observed: error.message };
    }
    results.push({
      ...base,
      status: verdict.pass ? 'pass' : 'fail',
      expected: verdict.expected,
      observed: verdict.observed,
      message: `expected ${verdict.expected}; observed ${verdict.observed}`,
      evidence: evidenceOf(verdict.evidence),
      hint: verdict.pass ? undefined : hintFor(check, new ScenarioRecord(scenarioEvents)),
    });
  }
  return results;
}
