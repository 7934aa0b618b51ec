// The best way to sample one container's processes from here: /proc on the engine's host when the
// lab runs there (in-container PIDs, zombies, ~1 ms), else `docker top` through the engine's API.
import type { Engine } from '../sandbox/engine';
import { ProcSampler, cgroupProcsFile, isProcessOfContainer, type ProcessSampler } from './proc-sampler';
import { TopSampler } from './top-sampler';

/** A sampler for the container whose PID 1 has host PID `hostPid` (0 when unknown). */
export function containerSampler(engine: Engine, containerId: string, hostPid: number): ProcessSampler {
  if (engine.local && hostPid > 0 && isProcessOfContainer(hostPid, containerId)) {
    const file = cgroupProcsFile(hostPid);
    if (file) return new ProcSampler(file);
  }
  return new TopSampler(engine, containerId);
}
