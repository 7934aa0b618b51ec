// "Nothing left behind", as scripts/leftovers.ts means it, for the soak's engine and host: no container
// or image of a run on the second engine (the lab images stay), no cgroup the lab makes (lab-build-*,
// lab-learner-*, in any hierarchy) and no learner socket that was not there before the soak began.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { BUILD_CGROUP_PREFIX } from '../lib/sandbox/image-builder';
import { RUN_LABEL } from '../lib/sandbox/labels';
import { LEARNER_CGROUP_PREFIX } from '../lib/sandbox/learner-cgroup';
import { SECOND_ENGINE } from './second-engine';

const CGROUP_ROOT = '/sys/fs/cgroup';
/** Where the lab server puts learners' Docker sockets (lib/workstation/socket-dir.ts's default). */
const SOCKET_DIR = path.join(os.tmpdir(), 'lab-sockets');

/** The lab's cgroups and sockets on this host at one moment (others' labs or tests may have some). */
export interface HostSnapshot {
  cgroups: Set<string>;
  sockets: Set<string>;
  /** Processes of the second engine before the soak started it (another run's leftovers: not the soak's to end). */
  processes: Set<number>;
}

/** What is left, each entry named for the report. */
export interface Leftovers {
  containers: string[];
  images: string[];
  cgroups: string[];
  sockets: string[];
  /** Processes of the second engine alive after its stop (filled in once it is stopped). */
  processes: EngineProcess[];
  /** Untagged build-cache layers of learner builds: kept a day on purpose (LAB_BUILD_CACHE_MAX_AGE), not counted. */
  buildCache: number;
}

/** `controller/name` of every lab cgroup (cgroup v1: one directory per controller; v2: one tree). */
function labCgroups(): string[] {
  const isLab = (name: string) => name.startsWith(BUILD_CGROUP_PREFIX) || name.startsWith(LEARNER_CGROUP_PREFIX);
  const bases = fs.existsSync(path.join(CGROUP_ROOT, 'cgroup.controllers'))
    ? ['']
    : fs
        .readdirSync(CGROUP_ROOT)
        .filter((controller) => !fs.lstatSync(path.join(CGROUP_ROOT, controller)).isSymbolicLink());
  return bases.flatMap((base) => {
    try {
      return fs
        .readdirSync(path.join(CGROUP_ROOT, base))
        .filter(isLab)
        .map((name) => path.join(base, name));
    } catch {
      return [];
    }
  });
}

function sockets(): string[] {
  try {
    return fs.readdirSync(SOCKET_DIR).filter((name) => name.endsWith('.sock'));
  } catch {
    return [];
  }
}

export function snapshotHost(): HostSnapshot {
  return {
    cgroups: new Set(labCgroups()),
    sockets: new Set(sockets()),
    processes: new Set(engineProcesses().map((stray) => stray.pid)),
  };
}

/** What the soak left: everything of runs on its engine, and what appeared on the host since `before`. */
export async function countLeftovers(docker: Docker, before: HostSnapshot): Promise<Leftovers> {
  const containers = await docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
  const images = await docker.listImages({ filters: { label: [RUN_LABEL] } });
  const cache = await docker.listImages({ all: true, filters: { dangling: ['true'], label: ['lab.image'] } });
  return {
    containers: containers.map(
      (info) => `${info.Id.slice(0, 12)} ${info.Labels[RUN_LABEL]} ${info.State} ${info.Status}`,
    ),
    images: images.map((info) => `${info.Id.slice(7, 19)} ${info.Labels?.[RUN_LABEL]}`),
    cgroups: labCgroups().filter((name) => !before.cgroups.has(name)),
    sockets: sockets().filter((name) => !before.sockets.has(name)),
    processes: [],
    buildCache: cache.length,
  };
}

/** A process of the second engine, with what runs under it. */
export interface EngineProcess {
  pid: number;
  command: string;
  /** The commands of its descendants (a learner's program in a container the engine lost track of). */
  below: string[];
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Live processes (not zombies) by parent pid. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/**
 * Processes of the second engine alive now: its dockerd and containerd while it runs, and after its
 * stop whatever a crash left: a containerd-shim whose container was being started as dockerd went
 * away outlives it, with the learner's program still running under it, known to no engine (seen in
 * this soak). Matched by the engine's own folders on their command lines.
 */
export function engineProcesses(): EngineProcess[] {
  const mark = new RegExp(`(${[SECOND_ENGINE.execRoot, SECOND_ENGINE.dataRoot].join('|')})(/|\\s|$)`);
  const children = childrenByParent();
  const below = (pid: number): number[] => (children.get(pid) ?? []).flatMap((child) => [child, ...below(child)]);
  return [...children.values()]
    .flat()
    .filter((pid) => pid !== process.pid && mark.test(commandOf(pid)))
    .map((pid) => ({ pid, command: commandOf(pid), below: below(pid).map(commandOf) }));
}

/** One line for the report: `pid command (running: ...)`. */
export function describeProcess(stray: EngineProcess): string {
  const running = stray.below.length ? ` (running: ${stray.below.join('; ')})` : '';
  return `${stray.pid} ${stray.command.slice(0, 140)}${running}`;
}

/** SIGKILL of the processes and everything under them (after the engine's stop, nothing else will end them). */
export function killProcesses(strays: EngineProcess[]): void {
  const children = childrenByParent();
  const below = (pid: number): number[] => (children.get(pid) ?? []).flatMap((child) => [child, ...below(child)]);
  for (const pid of strays.flatMap((stray) => [...below(stray.pid).reverse(), stray.pid])) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}
