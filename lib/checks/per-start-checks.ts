// Checks over each start of the container: a program started again inside one start (a restart Docker
// never sees), and the exit code each start ended with against the code the program chose.
import type { Assertion } from '../lessons/exercise-schema';
import { describeExit } from '../observe/exit-status';
import { matchesProcess } from '../observe/program';
import type { EventOf, TimelineEvent } from '../observe/timeline-event';
import { programWords, sayingOr } from './check-words';
import type { ScenarioRecord, Verdict } from './scenario-record';

/** started-once-per-start: within each start of the container the program started once: nothing restarted it inside. */
export function startedOncePerStart(
  assertion: Extract<Assertion, { type: 'started-once-per-start' }>,
  record: ScenarioRecord,
): Verdict {
  const program = programWords(assertion.program);
  const expected = `${program} starts once each time the container starts (Docker restarts it, not a script)`;
  let starts = 0;
  let worst = { count: 0, evidence: undefined as TimelineEvent | undefined };
  let seen = new Set<number>();
  for (const event of record.events) {
    if (event.type === 'container-start') {
      starts += 1;
      seen = new Set();
    } else if (event.type === 'snapshot') {
      for (const p of event.processes)
        if (p.state !== 'Z' && matchesProcess(p, assertion.program)) seen.add(p.hostPid ?? p.pid);
      if (seen.size > worst.count) worst = { count: seen.size, evidence: event };
    }
  }
  return {
    pass: worst.count <= 1,
    expected,
    observed:
      worst.count > 1
        ? `${program} started ${worst.count} times within one start of the container: something in the container started it again`
        : `${starts} start(s) of the container, ${program} once in each`,
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
export function outputOncePerStart(
  assertion: Extract<Assertion, { type: 'output-once-per-start' }>,
  record: ScenarioRecord,
): Verdict {
  const pattern = new RegExp(assertion.matches);
  const expected = `at most one line ${sayingOr(assertion.matches, 'of the kind this check counts')} in each start of the container (the program is started again by Docker, not inside)`;
  for (const [index, events] of perStart(record).entries()) {
    const lines = events.filter(
      (event): event is EventOf<'output'> => event.type === 'output' && pattern.test(event.text),
    );
    if (lines.length > 1) {
      return {
        pass: false,
        expected,
        observed: `${lines.length} such lines in start ${index + 1} of the container: the program was started again inside it`,
        evidence: lines[1],
      };
    }
  }
  return { pass: true, expected, observed: `${perStart(record).length} start(s), at most one such line in each` };
}

/** exit-code-as-logged: each exit carries the code the program said it exits with, just before. */
export function exitCodeAsLogged(
  assertion: Extract<Assertion, { type: 'exit-code-as-logged' }>,
  record: ScenarioRecord,
): Verdict {
  const pattern = new RegExp(assertion.matches);
  const expected = 'every exit of the container has the exit code the program chose (it says which in its log)';
  const dies = record.of('container-die');
  if (dies.length === 0)
    return { pass: false, expected, observed: 'the container never exited on its own during the scenario' };
  const seen: string[] = [];
  for (const events of perStart(record)) {
    const die = events.find((event): event is EventOf<'container-die'> => event.type === 'container-die');
    if (!die) continue;
    const said = events
      .filter(
        (event): event is EventOf<'output'> =>
          event.type === 'output' && event.seq < die.seq && pattern.test(event.text),
      )
      .at(-1);
    const code = said ? Number(pattern.exec(said.text)?.[1]) : undefined;
    if (code === undefined || Number.isNaN(code)) {
      return {
        pass: false,
        expected,
        observed: `the container exited with ${describeExit(die.exitCode, die.oomKilled)} before the program said which code it exits with`,
        evidence: die,
      };
    }
    seen.push(`the program chose ${code}, the container reported ${die.exitCode}`);
    if (code !== die.exitCode)
      return {
        pass: false,
        expected,
        observed: `${seen.join('; ')}: something between Docker and the program replaced its code`,
        evidence: die,
      };
  }
  return { pass: true, expected, observed: seen.join('; ') };
}
