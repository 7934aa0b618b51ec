// This cell in the registry of the lab's cells (LAB_CELL): a heartbeat every few seconds with its load
// (run slots, runs waiting, workstations), so that every cell knows the others and what they carry; and
// the sweep that marks interrupted the runs of a cell that went silent (killed, its machine gone).
import {
  beat,
  beatAgain,
  interruptRunsOfSilentCells,
  leave,
  liveCells,
  takeOverName,
  type CellLoad,
  type CellRecord,
} from '../db/cell-store';
import { log } from '../log';

export interface CellRegistryOptions {
  beatMs: number;
  /** A cell silent this long is gone. */
  silentMs: number;
}

export const CELL_REGISTRY_DEFAULTS: CellRegistryOptions = { beatMs: 5_000, silentMs: 20_000 };

export class CellRegistry {
  private timer: NodeJS.Timeout | undefined;
  /** A heartbeat is in progress: the next waits (a slow database must not make them overlap). */
  private ticking = false;
  /** Left the registry, or displaced from it: a heartbeat still in flight changes nothing. */
  private stopped = false;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly load: () => CellLoad,
    private readonly options: CellRegistryOptions = CELL_REGISTRY_DEFAULTS,
    /** Called when another server took this cell's name over: this one must stop. */
    private readonly onDisplaced: () => void = () => undefined,
  ) {}

  /**
   * Joins the registry under its name, taken over from any server that held it (the first heartbeat is
   * awaited: a database that refuses it stops start-up).
   */
  async start(): Promise<void> {
    const earlier = await takeOverName(this.id, this.name);
    if (earlier.length)
      log.warn('Took over the name of this cell from an earlier server; its runs are marked interrupted', {
        cell: this.name,
        earlier,
      });
    await beat(this.id, this.name, this.load());
    this.timer = setInterval(() => void this.tick(), this.options.beatMs);
    this.timer.unref();
  }

  /** Leaves the registry at once (a clean stop): the others need not wait for the silence. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await leave(this.id).catch(() => undefined);
  }

  cells(): Promise<CellRecord[]> {
    return liveCells(this.options.silentMs);
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      const held = await beatAgain(this.id, this.load());
      if (this.stopped) return;
      if (!held) {
        this.stopped = true;
        clearInterval(this.timer);
        log.error('Another lab server started as this cell and took its name over; this one stops', {
          cell: this.name,
        });
        this.onDisplaced();
        return;
      }
      const interrupted = await interruptRunsOfSilentCells(this.options.silentMs);
      if (interrupted) log.warn('Marked interrupted the runs of a cell that went silent', { attempts: interrupted });
    } catch (error) {
      log.warn('The heartbeat of this cell failed; the next one tries again', { error: String(error) });
    } finally {
      this.ticking = false;
    }
  }
}
