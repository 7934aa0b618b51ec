// Samples a running container's memory use from its memory cgroup on the engine's host (about a
// microsecond a read): the current use, the kernel's own peak where it keeps one (cgroup v1's
// memory.max_usage_in_bytes, v2's memory.peak), and the limit. What it saw becomes `memory` events
// on the timeline, so a check can judge whether the container stayed within its limit.
import fs from 'node:fs';

/** The memory cgroup files of one container. */
export interface MemoryFiles {
  usage: string;
  peak: string | null;
  limit: string;
  /** The file with the kernel's count of OOM kills in the cgroup: v1's memory.oom_control, v2's memory.events. */
  oomEvents: string | null;
}

/** One reading: bytes in use, the highest use seen so far, the limit. */
export interface MemoryReading {
  bytes: number;
  peakBytes: number;
  limitBytes: number;
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The memory files of the container whose PID 1 has host PID `hostPid` (v1 or v2), or null when unreadable here. */
export function memoryFiles(hostPid: number, procRoot = '/proc', cgroupRoot = '/sys/fs/cgroup'): MemoryFiles | null {
  const cgroups = read(`${procRoot}/${hostPid}/cgroup`);
  if (!cgroups) return null;
  const lines = cgroups.split('\n').map((line) => line.split(':'));
  const v1 = lines.find(([, controllers]) => controllers?.split(',').includes('memory'));
  const files: MemoryFiles = v1
    ? {
        usage: `${cgroupRoot}/memory${v1[2]}/memory.usage_in_bytes`,
        peak: `${cgroupRoot}/memory${v1[2]}/memory.max_usage_in_bytes`,
        limit: `${cgroupRoot}/memory${v1[2]}/memory.limit_in_bytes`,
        oomEvents: `${cgroupRoot}/memory${v1[2]}/memory.oom_control`,
      }
    : (() => {
        const dir = `${cgroupRoot}${lines.find(([id]) => id === '0')?.[2] ?? ''}`;
        return {
          usage: `${dir}/memory.current`,
          peak: `${dir}/memory.peak`,
          limit: `${dir}/memory.max`,
          oomEvents: `${dir}/memory.events`,
        };
      })();
  if (read(files.usage) === null) return null;
  if (files.peak && read(files.peak) === null) files.peak = null;
  if (files.oomEvents && readOomKills(files) === null) files.oomEvents = null;
  return files;
}

/**
 * How many processes the kernel's OOM killer has ended in the cgroup (the `oom_kill` line, kernel 4.13
 * and later), or null when the kernel does not count them or the cgroup is gone. Docker's own flag
 * comes from an event that can arrive after the exit it belongs to, or not at all: this is the truth.
 */
export function readOomKills(files: MemoryFiles): number | null {
  return files.oomEvents ? oomKillsIn(files.oomEvents) : null;
}

/** The `oom_kill` count of one `memory.oom_control` (v1) or `memory.events` (v2) file, or null. */
export function oomKillsIn(file: string): number | null {
  const count = read(file)?.match(/^oom_kill (\d+)$/m)?.[1];
  return count === undefined ? null : Number(count);
}

/**
 * The file with the kernel's OOM kill count of a container's memory cgroup, found by the container's id
 * where the engine keeps its cgroups (cgroupfs v1 `memory/docker/<id>`, v2 `docker/<id>` or systemd's
 * `system.slice/docker-<id>.scope`), or null: for a container that may die before its PID is known.
 */
export function containerOomFile(containerId: string, cgroupRoot = '/sys/fs/cgroup'): string | null {
  const candidates = [
    `${cgroupRoot}/memory/docker/${containerId}/memory.oom_control`,
    `${cgroupRoot}/docker/${containerId}/memory.events`,
    `${cgroupRoot}/system.slice/docker-${containerId}.scope/memory.events`,
  ];
  return candidates.find((file) => oomKillsIn(file) !== null) ?? null;
}

/** Reads the files; null when the cgroup is gone (the container stopped). */
export function readMemory(files: MemoryFiles, fallbackLimit: number): MemoryReading | null {
  const bytes = Number(read(files.usage));
  if (!Number.isFinite(bytes) || read(files.usage) === null) return null;
  const peak = files.peak ? Number(read(files.peak)) : NaN;
  const limit = Number(read(files.limit));
  return {
    bytes,
    peakBytes: Number.isFinite(peak) ? Math.max(peak, bytes) : bytes,
    limitBytes: Number.isFinite(limit) && limit > 0 ? limit : fallbackLimit,
  };
}

/** How often memory is read, and how often a reading is recorded when nothing much changed. */
export const MEMORY_READ_MS = 200;
export const MEMORY_RECORD_MS = 2_000;

/**
 * Reads one start of a container's memory every 200 ms and records a reading when the peak has grown by
 * a fiftieth of the limit, every 2 s otherwise, and once more when stopped: a timeline of a few
 * events a second at most that still shows the peak.
 */
export class MemoryWatch {
  private timer: NodeJS.Timeout | null = null;
  private peak = 0;
  private recorded: { at: number; peakBytes: number } | null = null;
  private last: MemoryReading | null = null;
  private oomKills = 0;

  constructor(
    private readonly files: MemoryFiles,
    private readonly fallbackLimit: number,
    private readonly onReading: (reading: MemoryReading) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), MEMORY_READ_MS);
    this.tick();
  }

  /** Whether the kernel's OOM killer ended a process of this start of the container, as far as was read. */
  get oomKilled(): boolean {
    return this.oomKills > 0;
  }

  /** Reads the OOM kill count now: at the moment PID 1 is seen gone, before the cgroup is removed. */
  readOomKills(): void {
    this.oomKills = Math.max(this.oomKills, readOomKills(this.files) ?? 0);
  }

  private tick(): void {
    this.readOomKills();
    const reading = readMemory(this.files, this.fallbackLimit);
    if (!reading) return;
    this.peak = Math.max(this.peak, reading.peakBytes);
    this.last = { ...reading, peakBytes: this.peak };
    const now = Date.now();
    const grown = !this.recorded || this.peak - this.recorded.peakBytes >= reading.limitBytes / 50;
    if (grown || now - this.recorded!.at >= MEMORY_RECORD_MS) this.record(now);
  }

  private record(now: number): void {
    if (!this.last) return;
    this.recorded = { at: now, peakBytes: this.last.peakBytes };
    this.onReading(this.last);
  }

  /** Stops reading, recording the last reading if the peak grew since the last one recorded. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.tick();
    if (this.last && this.recorded && this.last.peakBytes > this.recorded.peakBytes) this.record(Date.now());
  }
}
