// Pure functions over process lists: finding, comparing and building the tree the page draws.
import type { ProcessInfo } from './timeline-event';

/** A process with its children, for drawing. */
export interface ProcessNode extends ProcessInfo {
  children: ProcessNode[];
}

/** True when the process has exited but its parent has not reaped it. */
export function isZombie(process: ProcessInfo): boolean {
  return process.state === 'Z';
}

/** The first live process whose command line matches, lowest PID first. */
export function findProcess(processes: ProcessInfo[], pattern: RegExp): ProcessInfo | undefined {
  return processes.find((process) => !isZombie(process) && pattern.test(process.command));
}

/** PID 1, if it is running. */
export function pid1(processes: ProcessInfo[]): ProcessInfo | undefined {
  return processes.find((process) => process.pid === 1);
}

function key(process: ProcessInfo): string {
  return `${process.pid}\u0000${process.command}`;
}

/**
 * What changed between two samples: processes that appeared, and processes that exited (gone, or now
 * zombies). A process that exec'd another program (same PID, new command line) counts as appeared:
 * a sample can catch a child between fork and exec, still showing its parent's command.
 */
export function diffProcesses(
  before: ProcessInfo[],
  after: ProcessInfo[],
): { spawned: ProcessInfo[]; exited: ProcessInfo[] } {
  const beforeByPid = new Map(before.map((p) => [p.pid, p]));
  const liveAfter = new Set(after.filter((p) => !isZombie(p)).map((p) => p.pid));
  return {
    spawned: after.filter((p) => {
      const previous = beforeByPid.get(p.pid);
      return !previous || (!isZombie(p) && previous.command !== p.command);
    }),
    exited: before.filter((p) => !isZombie(p) && !liveAfter.has(p.pid)),
  };
}

/** The timeline events one new sample makes: exits, then spawns, then the new tree if it changed. */
export function processChanges(
  before: ProcessInfo[],
  after: ProcessInfo[],
): (
  { type: 'process-exit' | 'process-spawn'; process: ProcessInfo } | { type: 'snapshot'; processes: ProcessInfo[] }
)[] {
  const { spawned, exited } = diffProcesses(before, after);
  return [
    ...exited.map((process) => ({ type: 'process-exit' as const, process })),
    ...spawned.map((process) => ({ type: 'process-spawn' as const, process })),
    ...(sameProcesses(before, after) ? [] : [{ type: 'snapshot' as const, processes: after }]),
  ];
}

/** True when two samples show the same processes (same PIDs, parents, commands, and zombie or not). */
export function sameProcesses(a: ProcessInfo[], b: ProcessInfo[]): boolean {
  if (a.length !== b.length) return false;
  return a.every(
    (p, i) =>
      key(p) === key(b[i]) &&
      p.ppid === b[i].ppid &&
      isZombie(p) === isZombie(b[i]) &&
      (p.state === 'T') === (b[i].state === 'T'),
  );
}

/** Nests a process list into trees; roots are processes whose parent is outside the container. */
export function buildTree(processes: ProcessInfo[]): ProcessNode[] {
  const nodes = new Map(processes.map((p) => [p.pid, { ...p, children: [] as ProcessNode[] }]));
  const roots: ProcessNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.ppid ? nodes.get(node.ppid) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
