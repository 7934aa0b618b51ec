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
}

/** The truth of one incident, as recorded with the attempts checked against it. */
export interface IncidentTruth extends ContainerObservation {
  seed: number;
  /** The cause staged; the observation agreed with it. */
  cause: Cause;
  pid1Command: string;
}

/** Where the observation differs from what the plan had to produce; empty when it matches. */
export function discrepancies(plan: IncidentPlan, observed: ContainerObservation): string[] {
  const problems: string[] = [];
  const { expected } = plan;
  if (observed.pid1Command === undefined) problems.push('PID 1 was never seen in the process tree');
  else if (observed.pid1Command !== expected.pid1Command)
    problems.push(`PID 1 was "${observed.pid1Command}", not "${expected.pid1Command}"`);
  if (observed.exitCode !== expected.exitCode)
    problems.push(`the exit code was ${observed.exitCode}, not ${expected.exitCode}`);
  if (observed.oomKilled !== expected.oomKilled)
    problems.push(`OOMKilled was ${observed.oomKilled}, not ${expected.oomKilled}`);
  return problems;
}

/** The truth of an incident whose observation matched its plan. */
export function truthOf(plan: IncidentPlan, observed: ContainerObservation & { pid1Command: string }): IncidentTruth {
  return { seed: plan.seed, cause: plan.cause, ...observed };
}
