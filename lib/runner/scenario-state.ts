// What a scenario knows of its container at any moment, kept up to date from the engine's events and the
// process samples; the steps read it to tell whether what they wait for has happened.
import type { ProcessInfo } from '../observe/timeline-event';

/** The container's life as the scenario has observed it so far. */
export interface ScenarioState {
  running: boolean;
  /** Exited, and Docker will start it again (its restart policy applies). */
  restarting: boolean;
  /** Exited with no restart to come: nothing more can happen to wait for. */
  exitedForGood: boolean;
  /** How many times it has started, the first start included. */
  starts: number;
  restartCount: number;
  /** Its processes at the last sample (none while it is not running). */
  processes: ProcessInfo[];
  /** Epoch ms of the last exit; output before it belongs to an earlier start. */
  lastExitAt: number;
}

/** The state of a container not created yet. */
export function initialScenarioState(): ScenarioState {
  return {
    running: false,
    restarting: false,
    exitedForGood: false,
    starts: 0,
    restartCount: 0,
    processes: [],
    lastExitAt: 0,
  };
}
