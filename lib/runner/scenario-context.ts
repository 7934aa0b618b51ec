// What one scenario of a run is given by the run: the engine, the timeline it records into, and limits.
import type { Timeline } from '../observe/timeline';
import type { Engine } from '../sandbox/engine';
import type { RunLabels } from '../sandbox/labels';
import type { RunLimits } from '../sandbox/limits';
import type { RunEvents } from './run-events';

/** What a scenario needs from its run. */
export interface ScenarioContext {
  engine: Engine;
  timeline: Timeline;
  events: RunEvents;
  labels: RunLabels;
  image: string;
  limits: RunLimits;
  /** Aborts every wait (the run was cancelled). */
  signal?: AbortSignal;
  /** Read back the files the container wrote (a check judges them by what they hold). */
  readFiles?: boolean;
}
