// Finds containers' overlay2 directories where the engine runs on this host, and measures their
// writable layers for the disk limits: a walk of the upper directory that stops just past the limits;
// elsewhere the engine's own count of bytes (`docker inspect --size`), which walks the same directory.
import type Docker from 'dockerode';
import fs from 'node:fs';
import { measureTree, type DiskLimits, type DiskUsage } from './disk-usage';
import { withEngineDeadline } from './engine-deadline';
import type { OverlayDirs } from './overlay-changes';

/** Containers whose layer directory is remembered (one inspect each, not one per measure). */
const REMEMBERED = 1000;

export class LayerMeter {
  /** Each container's overlay directories (null when they cannot be read here). */
  private readonly known = new Map<string, OverlayDirs | null>();

  constructor(
    private readonly docker: Docker,
    /** The engine runs on this host, so its directories can be read here. */
    private readonly local: boolean,
  ) {}

  /** The container's overlay2 directories where this host can read them, else null. */
  async dirs(containerId: string): Promise<OverlayDirs | null> {
    if (!this.local) return null;
    let dirs = this.known.get(containerId);
    if (dirs === undefined) {
      const info = await withEngineDeadline('inspecting a container', () =>
        this.docker.getContainer(containerId).inspect(),
      );
      const data = info.GraphDriver?.Data as { UpperDir?: string; LowerDir?: string } | undefined;
      dirs =
        info.GraphDriver?.Name === 'overlay2' && data?.UpperDir
          ? { upper: data.UpperDir, lowers: data.LowerDir ? data.LowerDir.split(':') : [] }
          : null;
      this.known.set(containerId, dirs);
      if (this.known.size > REMEMBERED) this.known.delete(this.known.keys().next().value!);
    }
    return dirs && fs.existsSync(dirs.upper) ? dirs : null;
  }

  /** What the container wrote, up to just past the limits; null when the engine cannot tell. */
  async measure(containerId: string, limits: DiskLimits): Promise<DiskUsage | null> {
    const dirs = await this.dirs(containerId);
    if (dirs) return measureTree(dirs.upper, limits);
    const sized = (await withEngineDeadline('measuring a container', () =>
      this.docker.getContainer(containerId).inspect({ size: true } as Docker.ContainerInspectOptions),
    )) as { SizeRw?: number };
    return typeof sized.SizeRw === 'number' ? { bytes: sized.SizeRw } : null;
  }

  /** The container is gone: its directories are forgotten. */
  forget(containerId: string): void {
    this.known.delete(containerId);
  }
}
