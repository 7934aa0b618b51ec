// An incident's truth is what the lab observed, and staging refuses an observation that differs from
// the plan: a start Docker was to refuse, Docker's signals to PID 1, a SIGKILL before the grace period.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planIncident, type IncidentPlan } from './incident-plan';
import { discrepancies, observedPid1, type ContainerObservation } from './incident-truth';

function planWhere(fits: (plan: IncidentPlan) => boolean): IncidentPlan {
  for (let seed = 0; seed < 5000; seed++) if (fits(planIncident(seed))) return planIncident(seed);
  throw new Error('no seed fits');
}

/** What the lab sees when the incident happens as planned. */
function asPlanned(plan: IncidentPlan): ContainerObservation {
  const { pid1Command, exitCode, oomKilled, startRefused, sentSignals = [] } = plan.expected;
  const timeoutMs = (plan.stopAfter?.timeoutSec ?? 0) * 1000;
  return {
    ...(startRefused ? { startError: 'exec: not found' } : { pid1Command }),
    otherCommands: [],
    startedCommand: pid1Command.split(' '),
    exitCode,
    oomKilled,
    signals: sentSignals.map((signal, index) => ({ signal, time: 1000 + index * timeoutMs })),
  };
}

test('a refused start: PID 1 is what Docker tried to start, and a start that happened is a discrepancy', () => {
  const plan = planWhere((p) => p.expected.startRefused === true);
  const observed = asPlanned(plan);
  assert.deepEqual(discrepancies(plan, observed), []);
  assert.equal(observedPid1(observed), plan.expected.pid1Command);
  const started = { ...observed, startError: undefined, pid1Command: plan.expected.pid1Command };
  assert.deepEqual(discrepancies(plan, started), ['Docker started PID 1: it was to refuse']);
  const other = planWhere((p) => p.cause === 'crashed');
  assert.match(discrepancies(other, { ...asPlanned(other), startError: 'permission denied' }).join(), /refused/);
});

test("a stop that timed out needs Docker's SIGTERM, then its SIGKILL no sooner than the grace period", () => {
  const plan = planWhere((p) => p.cause === 'stop-timed-out');
  const observed = asPlanned(plan);
  assert.deepEqual(discrepancies(plan, observed), []);
  const killOnly = { ...observed, signals: [{ signal: 'SIGKILL', time: 1000 }] };
  assert.deepEqual(discrepancies(plan, killOnly), ['Docker sent PID 1 SIGKILL, not SIGTERM, SIGKILL']);
  const early = { ...observed, signals: [observed.signals![0], { signal: 'SIGKILL', time: 1500 }] };
  assert.match(discrepancies(plan, early).join(), /SIGKILL came 500 ms after SIGTERM, before the \d s grace period/);
});

test('a docker kill is one SIGKILL with nothing before it', () => {
  const plan = planWhere((p) => p.killAfter !== undefined);
  assert.deepEqual(discrepancies(plan, asPlanned(plan)), []);
  const stopped = { ...asPlanned(plan), signals: ['SIGTERM', 'SIGKILL'].map((signal) => ({ signal, time: 0 })) };
  assert.deepEqual(discrepancies(plan, stopped), ['Docker sent PID 1 SIGTERM, SIGKILL, not SIGKILL']);
});
