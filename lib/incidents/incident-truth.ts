// What the lab observed of an incident: the truth a learner's diagnosis is checked against. It comes
// from watching the container (PID 1 in its process tree, Docker's record of the exit), never from
// the plan alone; when the two disagree, the incident did not happen as designed.
import type { Cause } from './causes';
import type { IncidentPlan } from './incident-plan';

/** What the lab saw of a container from its start until it exited for good. */
export interface ContainerObservation {
  /** PID 1's command line in the container's process tree, the last time it was seen alive; absent when never seen. */
  pid1Command?: string;
  /** Other live processes seen meanwhile (command lines), such as the application under a wrapper. */
  otherCommands: string[];
  /** What Docker started (docker inspect: Path, then Args). */
  startedCommand: string[];
  /** Docker's State.ExitCode after the die event. */
  exitCode: number;
  /** Docker's State.OOMKilled after the die event. */
  oomKilled: boolean;
  /** Docker refused to start PID 1, and its State.Error says why: PID 1 never ran. */
  startError?: string;
  /** The signals Docker delivered to PID 1 (its kill events), in order, with when (epoch ms). */
  signals?: { signal: string; time: number }[];
}

/** The truth of one incident, as recorded with the attempts checked against it. */
export interface IncidentTruth extends ContainerObservation {
  seed: number;
  /** The cause staged; the observation agreed with it. */
  cause: Cause;
  /** PID 1's command line; when Docker refused to start it, what Docker tried to start (Path, then Args). */
  pid1Command: string;
}

/** Where the observation differs from what the plan had to produce; empty when it matches. */
export function discrepancies(plan: IncidentPlan, observed: ContainerObservation): string[] {
  const problems: string[] = [];
  const { expected } = plan;
  if (expected.startRefused) {
    const tried = observed.startedCommand.join(' ');
    if (observed.startError === undefined) problems.push('Docker started PID 1: it was to refuse');
    else if (tried !== expected.pid1Command) problems.push(`Docker tried "${tried}", not "${expected.pid1Command}"`);
  } else if (observed.startError !== undefined) problems.push(`Docker refused the start: ${observed.startError}`);
  else if (observed.pid1Command === undefined) problems.push('PID 1 was never seen in the process tree');
  else if (observed.pid1Command !== expected.pid1Command)
    problems.push(`PID 1 was "${observed.pid1Command}", not "${expected.pid1Command}"`);
  if (observed.exitCode !== expected.exitCode)
    problems.push(`the exit code was ${observed.exitCode}, not ${expected.exitCode}`);
  if (observed.oomKilled !== expected.oomKilled)
    problems.push(`OOMKilled was ${observed.oomKilled}, not ${expected.oomKilled}`);
  problems.push(...signalProblems(plan, observed));
  return problems;
}

/** Where Docker's signals to PID 1 differ from the plan's, and whether a stop's SIGKILL waited for its grace period. */
function signalProblems(plan: IncidentPlan, observed: ContainerObservation): string[] {
  const { sentSignals: signals } = plan.expected;
  if (!signals) return [];
  const seen = observed.signals ?? [];
  const names = seen.map((event) => event.signal);
  if (names.join() !== signals.join())
    return [`Docker sent PID 1 ${names.join(', ') || 'no signal'}, not ${signals.join(', ')}`];
  const { stopAfter } = plan;
  if (!stopAfter) return [];
  // docker stop waits its whole grace period after the SIGTERM before it sends SIGKILL.
  const waitedMs = seen[1].time - seen[0].time;
  return waitedMs < stopAfter.timeoutSec * 1000 - 50
    ? [`SIGKILL came ${waitedMs} ms after SIGTERM, before the ${stopAfter.timeoutSec} s grace period ended`]
    : [];
}

/** PID 1's command line as observed: what ran, or what Docker tried to start when it refused; absent when unseen. */
export function observedPid1(observed: ContainerObservation): string | undefined {
  return observed.startError !== undefined ? observed.startedCommand.join(' ') : observed.pid1Command;
}

/** The truth of an incident whose observation matched its plan. */
export function truthOf(plan: IncidentPlan, observed: ContainerObservation, pid1Command: string): IncidentTruth {
  return { seed: plan.seed, cause: plan.cause, ...observed, pid1Command };
}
