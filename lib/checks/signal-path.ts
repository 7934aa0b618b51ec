// The stop signal's path from the kernel's own record of who signalled whom (`signal` events, where the
// lab could trace them): the program got docker stop's signal, from PID 1 passing it on or from an init
// signalling its group, or it got another one (SIGKILL from a wrapper, SIGTERM where the stop sent
// SIGQUIT), or nothing until the kernel killed it with the container.
import type { Assertion } from '../lessons/exercise-schema';
import { matchesProcess } from '../observe/program';
import type { EventOf, ProcessInfo, TimelineEvent } from '../observe/timeline-event';
import { programWords, stepWords } from './check-words';
import type { ScenarioRecord, Verdict } from './scenario-record';

/** Who sent a traced signal, in words. */
function sender(event: EventOf<'signal'>): string {
  if (event.by === 'kernel') return 'the kernel';
  if (event.by === 'outside' || event.from === undefined) return 'Docker';
  return `PID ${event.from} (${event.fromCommand})`;
}

/**
 * The verdict on the signal `target` got after `start` (the stop step's beginning), judged from the
 * trace; null when the scenario's signals were not traced (the samples are judged instead).
 */
export function tracedSignalPath(
  record: ScenarioRecord,
  start: TimelineEvent,
  target: ProcessInfo,
  program: string,
  expected: string,
  letFinish = false,
): Verdict | null {
  if (record.of('signal-trace').length === 0) return null;
  const died = record.of('container-die').find((event) => event.seq > start.seq);
  // Until the container starts again (its PIDs are then another process's). Not until its die event: a
  // signal is recorded when the trace is read, which may come after Docker's report of the end.
  const restarted = record.of('container-start').find((event) => event.seq > start.seq);
  const during = (event: TimelineEvent) => event.seq > start.seq && (!restarted || event.seq < restarted.seq);
  const stop = record.of('container-signal').find(during)?.signal;
  const got = record.of('signal').find((event) => during(event) && event.to === target.pid);
  const who = `${program} (PID ${target.pid})`;
  if (!got) {
    const why = stop ? `docker stop sent ${stop} to PID 1` : 'no signal reached the container';
    return { pass: false, expected, observed: `${why}; ${who} got no signal at all`, evidence: died ?? start };
  }
  const after = `${got.t - start.t} ms after the stop began`;
  if (got.by === 'kernel')
    return {
      pass: false,
      expected,
      observed: `${who} got no signal from PID 1: the kernel killed it (SIGKILL) when PID 1 ended, ${after}`,
      evidence: got,
    };
  if (stop && got.signal !== stop)
    return {
      pass: false,
      expected,
      observed: `docker stop sent ${stop}, but ${who} got ${got.signal} from ${sender(got)}, ${after}`,
      evidence: got,
      hintFor: 'signalled',
    };
  // The signal reached it, but it must be let act on it: a SIGKILL that follows (a wrapper's, or the
  // kernel's as PID 1 ended without waiting for it) cuts its shutdown short. One the kernel drops
  // (ignored) found it already dying of the signal it got (no handler: the default action ends it).
  const killed = record
    .of('signal')
    .find(
      (event) =>
        during(event) && event.seq > got.seq && event.to === target.pid && event.signal === 'SIGKILL' && !event.ignored,
    );
  if (letFinish && killed && got.signal !== 'SIGKILL')
    return {
      pass: false,
      expected,
      observed: `${who} got ${got.signal} from ${sender(got)}, ${after}, but ${killed.by === 'kernel' ? 'the kernel killed it (SIGKILL) as PID 1 ended' : `${sender(killed)} killed it (SIGKILL)`} ${killed.t - got.t} ms later, before it ended by itself`,
      evidence: killed,
      hintFor: 'signalled',
    };
  return {
    pass: true,
    expected,
    observed: `${who} got ${got.signal} from ${sender(got)}, ${after}`,
    evidence: got,
  };
}

/**
 * signal-got: the first signal `program` got after the step began came from a process of the container
 * and was `signal` (a wrapper's SIGKILL, another signal than the stop's). Needs the trace.
 */
export function signalGot(assertion: Extract<Assertion, { type: 'signal-got' }>, record: ScenarioRecord): Verdict {
  const start = record.stepStart(assertion.after);
  const program = programWords(assertion.program);
  const expected = `after ${stepWords(start)}, ${program} gets ${assertion.signal} from a process of the container`;
  if (record.of('signal-trace').length === 0)
    return { pass: false, expected, observed: 'signals were not traced on this machine', evidence: start };
  const state = record.stateAt(start.seq);
  const target = state.processes.find((p) => p.state !== 'Z' && matchesProcess(p, assertion.program));
  const got = target && record.of('signal').find((event) => event.seq > start.seq && event.to === target.pid);
  return {
    pass: Boolean(got && got.by === 'process' && got.signal === assertion.signal),
    expected,
    observed: !target
      ? `${program} was not running when the step began`
      : got
        ? `${program} (PID ${target.pid}) got ${got.signal} from ${sender(got)}`
        : `${program} (PID ${target.pid}) got no signal`,
    evidence: got ?? start,
  };
}
