// The fallback sampler for an engine on another host: `docker top` through the API. It shows host
// PIDs and no zombies; the main process is renumbered 1 so that PID 1 checks still read true.
import type { Engine } from '../sandbox/engine';
import type { ProcessSampler } from './proc-sampler';
import type { ProcessInfo } from './timeline-event';

/** Samples with `docker top`. */
export class TopSampler implements ProcessSampler {
  constructor(
    private readonly engine: Engine,
    private readonly containerId: string,
  ) {}

  async sample(): Promise<ProcessInfo[]> {
    let rows: ProcessInfo[];
    try {
      rows = await this.engine.top(this.containerId);
    } catch {
      return []; // not running
    }
    const hostPids = new Set(rows.map((row) => row.pid));
    const root = rows.find((row) => !hostPids.has(row.ppid));
    const renumber = (pid: number) => (pid === root?.pid ? 1 : pid);
    return rows
      .map((row) => ({
        pid: renumber(row.pid),
        ppid: hostPids.has(row.ppid) ? renumber(row.ppid) : 0,
        state: row.state,
        command: row.command,
      }))
      .sort((a, b) => a.pid - b.pid);
  }
}
