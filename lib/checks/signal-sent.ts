// The signal Docker itself delivered to PID 1: what `docker stop` sends is the image's STOPSIGNAL
// (SIGTERM when it sets none), read from the engine's kill events, whatever the Dockerfile says.
import type { Assertion } from '../lessons/exercise-schema';
import { stepWords } from './check-words';
import type { ScenarioRecord, Verdict } from './scenario-record';

/**
 * signal-sent: the first signal Docker delivered to PID 1 after the step began is the one asked for. A
 * SIGKILL that follows (the stop's grace ran out) does not change what was sent first.
 */
export function signalSent(assertion: Extract<Assertion, { type: 'signal-sent' }>, record: ScenarioRecord): Verdict {
  const start = record.stepStart(assertion.after);
  const end = record.stepEnd(assertion.after);
  const expected = `${stepWords(start)} makes Docker send ${assertion.signal} to PID 1`;
  const sent = record.of('container-signal').filter((event) => event.seq > start.seq);
  if (sent.length === 0)
    return {
      pass: false,
      expected,
      observed:
        end.outcome === 'skipped'
          ? 'the container was not running, so Docker sent no signal'
          : 'Docker sent PID 1 no signal',
      evidence: end,
    };
  return {
    pass: sent[0].signal === assertion.signal,
    expected,
    observed: `Docker sent ${sent.map((event) => event.signal).join(', then ')}`,
    evidence: sent[0],
  };
}
