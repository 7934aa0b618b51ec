// Whether the Docker engine answers, and which lab images it has.
import { DockerEngine } from './docker-engine';

/** The engine as the health check reports it. */
export interface EngineStatus {
  ok: boolean;
  version?: string;
  labImages: string[];
  error?: string;
}

export async function engineStatus(engine = new DockerEngine()): Promise<EngineStatus> {
  try {
    const version = await engine.docker.version();
    return { ok: true, version: version.Version, labImages: await engine.labImages() };
  } catch (error) {
    return { ok: false, labImages: [], error: error instanceof Error ? error.message : String(error) };
  }
}
