// Measures containers' writable layers for the disk limits: on the engine's host, a walk of the
// overlay2 upper directory that stops just past the limits; elsewhere the engine's own count of bytes
// (`docker inspect --size`), which walks the same directory inside the engine.
import type Docker from 'dockerode';
import fs from 'node:fs';
import { measureTree, type DiskLimits, type DiskUsage } from './disk-usage';
import { withEngineDeadline } from './engine-deadline';

/** Containers whose layer directory is remembered (one inspect each, not one per measure). */
const REMEMBERED = 1000;

export class LayerMeter {
  /** Each container's writable layer directory ('' when it cannot be read here). */
  private readonly upperDirs = new Map<string, string>();

  constructor(
    private readonly docker: Docker,
    /** The engine runs on this host, so its directories can be read here. */
    private readonly local: boolean,
  ) {}

  /** What the container wrote, up to just past the limits; null when the engine cannot tell. */
  async measure(containerId: string, limits: DiskLimits): Promise<DiskUsage | null> {
    let upperDir = this.upperDirs.get(containerId);
    if (upperDir === undefined) {
      const info = await withEngineDeadline('inspecting a container', () =>
        this.docker.getContainer(containerId).inspect(),
      );
      const data = info.GraphDriver?.Data as { UpperDir?: string } | undefined;
      upperDir = (this.local && info.GraphDriver?.Name === 'overlay2' && data?.UpperDir) || '';
      this.upperDirs.set(containerId, upperDir);
      if (this.upperDirs.size > REMEMBERED) this.upperDirs.delete(this.upperDirs.keys().next().value!);
    }
    if (upperDir && fs.existsSync(upperDir)) return measureTree(upperDir, limits);
    const sized = (await withEngineDeadline('measuring a container', () =>
      this.docker.getContainer(containerId).inspect({ size: true } as Docker.ContainerInspectOptions),
    )) as { SizeRw?: number };
    return typeof sized.SizeRw === 'number' ? { bytes: sized.SizeRw } : null;
  }
}
