// What the sandbox's tests against the real engine share: one engine, an owner of this test process,
// labels and settings for its runs, and the check, after the tests, that nothing of theirs is left.
import assert from 'node:assert/strict';
import { newRunId } from '../runner/run-exercise';
import { DockerEngine } from './docker-engine';
import type { RunLabels } from './labels';
import { labelledResources, reap } from './reaper';

/** The engine the tests use. */
export const engine = new DockerEngine();
/** The owner of everything this test process makes. */
export const OWNER = `test-sandbox-${process.pid}`;
/** Labels of a new run of OWNER, expiring in ten minutes unless `overrides` say otherwise. */
export const labels = (overrides: Partial<RunLabels> = {}): RunLabels => ({
  runId: newRunId(),
  owner: OWNER,
  expiresAt: Date.now() + 600_000,
  ...overrides,
});
/** A container's settings: no environment, no restart policy, no init. */
export const settings = { env: {}, restart: { policy: 'no' as const }, init: false };

/** Removes this process's runs, then asserts that nothing labelled with OWNER is left. */
export async function removeOwnResources(): Promise<void> {
  await reap(engine.docker, 'mine');
  assert.deepEqual(await labelledResources(engine.docker, OWNER), { containers: [], images: [] });
}
