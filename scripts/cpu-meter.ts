// What a batch of runs costs the machine in CPU-seconds, and where it goes: the driver (the lab process,
// or the docker CLI processes), dockerd, containerd, the containerd shims, the containers' cgroups, and
// the rest of the machine. The total comes from /proc/stat, less the machine's idle rate over the time.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const TICK_S = 0.01; // USER_HZ: /proc counts CPU time in hundredths of a second

/** CPU seconds the whole machine spent (all CPUs, idle and iowait excluded). */
function machineCpuSeconds(): number {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + (steal ?? 0)) * TICK_S;
}

/** utime + stime of a process (and, with `children`, of its waited-for children), in seconds. */
export function processSeconds(pid: number | 'self', children = false): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
    return (fields[11] + fields[12] + (children ? fields[13] + fields[14] : 0)) * TICK_S;
  } catch {
    return undefined;
  }
}

const DAEMONS: Record<string, string> = { dockerd: 'dockerd', containerd: 'containerd', 'containerd-shim': 'shims' };

/** Processes of the engine by group (comm is cut to 15 characters: containerd-shim-runc-v2 reads containerd-shim). */
function engineProcesses(): { pid: number; group: string }[] {
  const found: { pid: number; group: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const group = DAEMONS[fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim()];
      if (group) found.push({ pid: Number(entry), group });
    } catch {
      /* gone */
    }
  }
  return found;
}

/** The cgroups the lab's and the CLI's containers run in, with the CPU they have used, in seconds. */
function containerCgroups(): Map<string, number> {
  const usage = new Map<string, number>();
  const v2 = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
  const root = v2 ? '/sys/fs/cgroup' : '/sys/fs/cgroup/cpuacct';
  const read = (dir: string) => {
    try {
      if (v2) {
        const line = fs.readFileSync(path.join(dir, 'cpu.stat'), 'utf8').match(/^usage_usec (\d+)/m);
        if (line) usage.set(dir, Number(line[1]) / 1e6);
      } else usage.set(dir, Number(fs.readFileSync(path.join(dir, 'cpuacct.usage'), 'utf8')) / 1e9);
    } catch {
      /* removed meanwhile */
    }
  };
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (entry.name.startsWith('lab-')) read(path.join(root, entry.name));
    if (entry.name === 'docker')
      for (const child of fs.readdirSync(path.join(root, 'docker'), { withFileTypes: true }))
        if (child.isDirectory()) read(path.join(root, 'docker', child.name));
  }
  return usage;
}

/** Where a batch's CPU went, in seconds. */
export interface Cost {
  total: number;
  /** The lab's own process (for the CLI: the docker CLI processes). */
  driver: number;
  dockerd: number;
  containerd: number;
  shims: number;
  containers: number;
  other: number;
}

/**
 * Measures the CPU the machine spends while `work` runs: processes and cgroups that come and go are read
 * every 50 ms, and each counts up to its last reading.
 */
export async function measure(work: () => Promise<void>, driverSeconds: () => number, idleRate: number): Promise<Cost> {
  const seen = new Map<string, { first: number; last: number; group: string }>();
  const note = (key: string, group: string, value: number | undefined, existedBefore: boolean) => {
    if (value === undefined) return;
    const entry = seen.get(key);
    if (entry) entry.last = Math.max(entry.last, value);
    else seen.set(key, { first: existedBefore ? value : 0, last: value, group });
  };
  const poll = (before: boolean) => {
    for (const { pid, group } of engineProcesses()) note(`pid ${pid}`, group, processSeconds(pid), before);
    for (const [dir, seconds] of containerCgroups()) note(dir, 'containers', seconds, before);
  };
  poll(true);
  const machine = machineCpuSeconds();
  const driver = driverSeconds();
  const started = Date.now();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await delay(50);
      poll(false);
    }
  })();
  try {
    await work();
  } finally {
    polling = false;
    await poller;
  }
  poll(false);
  const elapsed = (Date.now() - started) / 1000;
  const groups = { dockerd: 0, containerd: 0, shims: 0, containers: 0 } as Record<string, number>;
  for (const entry of seen.values()) groups[entry.group] += entry.last - entry.first;
  const total = Math.max(0, machineCpuSeconds() - machine - idleRate * elapsed);
  const cost = {
    total,
    driver: driverSeconds() - driver,
    dockerd: groups.dockerd,
    containerd: groups.containerd,
    shims: groups.shims,
    containers: groups.containers,
    other: 0,
  };
  cost.other = Math.max(0, total - cost.driver - cost.dockerd - cost.containerd - cost.shims - cost.containers);
  return cost;
}

/** What the machine spends per second doing nothing of ours (other tenants, timers). */
export async function idleRate(seconds = 3): Promise<number> {
  const before = machineCpuSeconds();
  await delay(seconds * 1000);
  return (machineCpuSeconds() - before) / seconds;
}

export const labSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
/** The docker CLI processes this script started and waited for. */
export const cliSeconds = () => (processSeconds('self', true) ?? 0) - (processSeconds('self') ?? 0);

export function emptyCost(): Cost {
  return { total: 0, driver: 0, dockerd: 0, containerd: 0, shims: 0, containers: 0, other: 0 };
}

export function addCost(into: Cost, cost: Cost): void {
  for (const key of Object.keys(into) as (keyof Cost)[]) into[key] += cost[key];
}
