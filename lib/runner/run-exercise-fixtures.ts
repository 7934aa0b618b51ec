// What the tests of a run against the real engine share: one engine, an owner of this test process, the
// events of one type, and the check, after the tests, that nothing of theirs is left.
import assert from 'node:assert/strict';
import type { EventOf, TimelineEvent } from '../observe/timeline-event';
import { DockerEngine } from '../sandbox/docker-engine';
import { labelledResources } from '../sandbox/reaper';

/** The engine the runs use. */
export const engine = new DockerEngine();
/** The owner of every run of this test process. */
export const OWNER = `test-run-exercise-${process.pid}`;

/** The events of one type, in order. */
export function eventsOf<K extends TimelineEvent['type']>(events: TimelineEvent[], type: K): EventOf<K>[] {
  return events.filter((event): event is EventOf<K> => event.type === type);
}

/** Asserts that every container and image of this process's runs is removed. */
export async function assertNothingLeft(): Promise<void> {
  const left = await labelledResources(engine.docker, OWNER);
  assert.deepEqual(left, { containers: [], images: [] }, 'every container and image of these tests is removed');
}
