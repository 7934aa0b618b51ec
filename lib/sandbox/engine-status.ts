// Whether the Docker engine answers, and which lab images it has.
import type { DockerEngine } from './docker-engine';
import { engineTimeoutMs, withEngineDeadline } from './engine-deadline';

/** The engine as the health check reports it. */
export interface EngineStatus {
  ok: boolean;
  version?: string;
  labImages: string[];
  error?: string;
}

/** A health check answers within this, whatever the engine does. */
const HEALTH_DEADLINE_MS = 5_000;

/** Asks the engine for its version and the lab images it has, within the health check's deadline. */
export async function engineStatus(
  engine: DockerEngine,
  deadlineMs = Math.min(HEALTH_DEADLINE_MS, engineTimeoutMs()),
): Promise<EngineStatus> {
  try {
    return await withEngineDeadline(
      'its version and lab images',
      async () => ({ ok: true, version: (await engine.docker.version()).Version, labImages: await engine.labImages() }),
      deadlineMs,
    );
  } catch (error) {
    return { ok: false, labImages: [], error: error instanceof Error ? error.message : String(error) };
  }
}
