// The judgement of one assertion over one scenario's record: each assertion type, in words, with the
// event that shows it. The longer judgements live in files of their own, named after them.
import type { Assertion } from '../lessons/exercise-schema';
import type { EventOf } from '../observe/timeline-event';
import { describeExit } from '../observe/exit-status';
import { pid1 } from '../observe/process-tree';
import { matchesProcess } from '../observe/program';
import {
  momentWords,
  plainText,
  processWords,
  programWords,
  sayingOr,
  stepWords,
  withoutPatterns,
} from './check-words';
import { exitCodeAsLogged, outputOncePerStart, startedOncePerStart } from './per-start-checks';
import {
  codesText,
  describeProcesses,
  named,
  notRunning,
  numeric,
  type ScenarioRecord,
  type Verdict,
} from './scenario-record';
import { memoryBelow, noOomKill } from './memory-checks';
import { pid1Args } from './pid1-args';
import { signalReaches } from './signal-reaches';
import { signalGot } from './signal-path';
import { signalSent } from './signal-sent';
import { writtenFileKinds } from './written-file-kinds';
import { noZombies } from './zombies';

/** Judges one assertion (its drawn values already in place) over the record of its scenario. */
export function assess(assertion: Assertion, record: ScenarioRecord): Verdict {
  switch (assertion.type) {
    case 'pid1-command': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      const p1 = pid1(state.processes);
      const expected = `PID 1 runs ${programWords(assertion.matches)}`;
      if (!p1)
        return { pass: false, expected, observed: `no PID 1: ${notRunning(state)}`, evidence: state.lastDie ?? marker };
      const is = matchesProcess(p1, assertion.matches);
      // The program itself, not a wrapper of the same name in front of the real one (a restarter, a
      // parent that forked the server): no other process runs the same program.
      const copy =
        is && typeof assertion.matches !== 'string'
          ? state.processes.find((p) => p.pid !== 1 && p.state !== 'Z' && matchesProcess(p, assertion.matches))
          : undefined;
      if (copy)
        return {
          pass: false,
          expected,
          observed: `PID 1 is "${p1.command}", and ${named(copy)} runs the same program: PID 1 stands in front of the one doing the work`,
          evidence: state.snapshot,
        };
      return { pass: is, expected, observed: `PID 1 is "${p1.command}"`, evidence: state.snapshot };
    }
    case 'pid1-args':
      return pid1Args(assertion, record);
    case 'memory-below':
      return memoryBelow(assertion, record);
    case 'no-oom-kill':
      return noOomKill(record);
    case 'process-present':
    case 'process-absent': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      const match = state.processes.find((p) => p.state !== 'Z' && matchesProcess(p, assertion.matches));
      const present = assertion.type === 'process-present';
      return {
        pass: present === Boolean(match),
        expected: `${present ? 'a' : 'no'} ${processWords(assertion.matches)} ${momentWords()}`,
        observed: state.running ? describeProcesses(state.processes) : notRunning(state),
        evidence: state.snapshot ?? marker,
      };
    }
    case 'pid1-alone': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      const others = state.processes.filter((p) => p.pid !== 1 && p.state !== 'Z');
      return {
        pass: state.running && others.length === 0,
        expected: `PID 1 alone, no other process ${momentWords()}`,
        observed: state.running ? describeProcesses(state.processes) : notRunning(state),
        evidence: state.snapshot ?? marker,
      };
    }
    case 'child-of': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      const parents =
        assertion.parentPid1 || !assertion.parent
          ? state.processes.filter((p) => p.pid === 1)
          : state.processes.filter((p) => matchesProcess(p, assertion.parent!));
      const ok = state.processes.some(
        (p) => p.state !== 'Z' && matchesProcess(p, assertion.child) && parents.some((parent) => parent.pid === p.ppid),
      );
      return {
        pass: ok,
        expected: `a ${processWords(assertion.child)} whose parent is ${assertion.parentPid1 || !assertion.parent ? 'PID 1' : `the ${processWords(assertion.parent)}`}`,
        observed: state.running ? describeProcesses(state.processes) : notRunning(state),
        evidence: state.snapshot ?? marker,
      };
    }
    case 'running-at': {
      const marker = record.stepEnd(assertion.at);
      const state = record.stateAt(marker.seq);
      return {
        pass: state.running,
        expected: `the container is running ${momentWords()}`,
        observed: state.running ? `running: ${describeProcesses(state.processes)}` : notRunning(state),
        evidence: state.running ? (state.snapshot ?? marker) : (state.lastDie ?? marker),
      };
    }
    case 'exited-within': {
      const start = record.stepStart(assertion.after);
      const end = record.stepEnd(assertion.after);
      const codes = numeric(assertion.codes);
      const expected = `the container exits within ${assertion.withinMs} ms of ${stepWords(start)}${codes ? ` with ${codesText(codes)}` : ''}`;
      if (end.outcome === 'skipped') return { pass: false, expected, observed: couldNotRun(start, end), evidence: end };
      const die = record.of('container-die').find((event) => event.seq > start.seq);
      if (!die)
        return {
          pass: false,
          expected,
          observed: 'it was still running when the scenario ended',
          evidence: record.of('scenario-end')[0] ?? end,
        };
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
      if (dies.length === 0)
        return { pass: false, expected, observed: 'the container never exited on its own during the scenario' };
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
        expected:
          max === Infinity
            ? `Docker restarts the container at least ${min} time(s)`
            : min === max
              ? `Docker restarts the container exactly ${min} time(s)`
              : `between ${min} and ${max} restarts`,
        observed: `${count} restart(s)`,
        evidence: restarts.at(-1) ?? record.of('container-die').at(-1),
      };
    }
    case 'output-contains': {
      const firstStart = record.of('container-start')[0];
      const pattern = new RegExp(assertion.matches);
      const lines = record
        .of('output')
        .filter((event) => assertion.stream === 'any' || event.stream === assertion.stream);
      const match = lines.find(
        (event) =>
          pattern.test(event.text) &&
          (!assertion.withinMs || (firstStart && event.t - firstStart.t <= assertion.withinMs)),
      );
      const last = lines
        .slice(-3)
        .map((event) => `${event.stream}: ${event.text}`)
        .join(' | ');
      return {
        pass: Boolean(match),
        expected: `a line on ${assertion.stream === 'any' ? 'stdout or stderr' : assertion.stream} ${sayingOr(assertion.matches, 'of the kind this check looks for')}${assertion.withinMs ? ` within ${assertion.withinMs} ms of the start` : ''}`,
        observed: match
          ? `${match.stream} at ${firstStart ? match.t - firstStart.t : match.t} ms: ${match.text}`
          : lines.length
            ? `${lines.length} line(s), none matching; last: ${last}`
            : 'nothing was written there',
        evidence: match ?? lines.at(-1),
      };
    }
    case 'no-file-created': {
      const diffs = record.of('fs-changes');
      const fsChanges = diffs.at(-1);
      const expected = `no file created or changed at ${plainPath(assertion.pattern)}`;
      if (!fsChanges)
        return {
          pass: false,
          expected,
          observed: 'the container filesystem could not be read (the container never ran)',
        };
      const pattern = new RegExp(assertion.pattern);
      // Every diff taken (before the stop and at the end): a file removed on the way out was still written.
      const all = assertion.atEnd
        ? fsChanges.changes
        : [
            ...new Map(
              diffs.flatMap((diff) => diff.changes).map((change) => [`${change.kind} ${change.path}`, change]),
            ).values(),
          ];
      const hits = all.filter((change) => change.kind !== 'deleted' && pattern.test(change.path));
      return {
        pass: hits.length === 0,
        expected,
        observed: hits.length
          ? hits.map((change) => `${change.kind} ${change.path}`).join(', ')
          : 'no such path in the filesystem diff',
        evidence: fsChanges,
      };
    }
    case 'no-pid-file':
    case 'no-log-file':
      return writtenFileKinds(assertion, record);
    case 'signal-reaches':
      return signalReaches(assertion, record);
    case 'signal-sent':
      return signalSent(assertion, record);
    case 'signal-got':
      return signalGot(assertion, record);
    case 'started-once-per-start':
      return startedOncePerStart(assertion, record);
    case 'output-once-per-start':
      return outputOncePerStart(assertion, record);
    case 'exit-code-as-logged':
      return exitCodeAsLogged(assertion, record);
    case 'no-zombies':
      return noZombies(assertion, record);
    case 'process-respawned': {
      const start = record.stepStart(assertion.after);
      const end = record.stepEnd(assertion.after);
      const expected = `a new ${processWords(assertion.matches)} within ${assertion.withinMs} ms of ${stepWords(start)}`;
      if (end.outcome === 'skipped') return { pass: false, expected, observed: couldNotRun(start, end), evidence: end };
      const spawn = record
        .of('process-spawn')
        .find((event) => event.seq > start.seq && matchesProcess(event.process, assertion.matches));
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
      const expected = `the lab's command in the container exits with ${assertion.exitCode}${assertion.outputMatches ? ` and prints a line ${sayingOr(assertion.outputMatches, 'of the kind this check looks for')}` : ''}`;
      if (!result)
        return {
          pass: false,
          expected,
          observed: `the command could not run: ${withoutPatterns(end.detail)}`,
          evidence: end,
        };
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

/** Why a step the check measures from could not be done, in the learner's words. */
function couldNotRun(start: EventOf<'action-start'>, end: EventOf<'action-end'>): string {
  return `${stepWords(start)} could not be done: ${withoutPatterns(end.detail)}`;
}

/** The paths a no-file-created check forbids: quoted when plain, else named. */
function plainPath(pattern: string): string {
  const text = plainText(pattern);
  return text === null ? 'a path this exercise forbids' : `a path with "${text}" in it`;
}
