// This cell in the registry of the lab's cells (LAB_CELL): a heartbeat every few seconds with its load
// (run slots, runs waiting, workstations), so that every cell knows the others and what they carry; and
// the sweep that marks interrupted the runs of a cell that went silent (killed, its machine gone).
import { beat, interruptRunsOfSilentCells, leave, liveCells, type CellLoad, type CellRecord } from '../db/cell-store';
import { log } from '../log';

export interface CellRegistryOptions {
  beatMs: number;
  /** A cell silent this long is gone. */
  silentMs: number;
}

export const CELL_REGISTRY_DEFAULTS: CellRegistryOptions = { beatMs: 5_000, silentMs: 20_000 };

export class CellRegistry {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly load: () => CellLoad,
    private readonly options: CellRegistryOptions = CELL_REGISTRY_DEFAULTS,
  ) {}

  /** Joins the registry (the first heartbeat is awaited: a database that refuses it stops start-up). */
  async start(): Promise<void> {
    await beat(this.id, this.name, this.load());
    this.timer = setInterval(() => void this.tick(), this.options.beatMs);
    this.timer.unref();
  }

  /** Leaves the registry at once (a clean stop): the others need not wait for the silence. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await leave(this.id).catch(() => undefined);
  }

  cells(): Promise<CellRecord[]> {
    return liveCells(this.options.silentMs);
  }

  private async tick(): Promise<void> {
    try {
      await beat(this.id, this.name, this.load());
      const interrupted = await interruptRunsOfSilentCells(this.options.silentMs);
      if (interrupted) log.warn('Marked interrupted the runs of a cell that went silent', { attempts: interrupted });
    } catch (error) {
      log.warn('The heartbeat of this cell failed; the next one tries again', { error: String(error) });
    }
  }
}
