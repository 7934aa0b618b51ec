// Samples a container's processes from /proc on the engine's host: the container's cgroup lists its
// processes (cgroup.procs), /proc/<pid>/status gives each one's PID inside the container (NSpid), and
// /proc/<pid>/task/<pid>/children adds zombies, which have already left the cgroup. About a
// millisecond for a handful of processes, so it can run at 10 Hz beside every container.
import fs from 'node:fs';
import type { ProcessInfo } from './timeline-event';

/** Reads the process list of a container. */
export interface ProcessSampler {
  sample(): Promise<ProcessInfo[]>;
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The cgroup.procs file of the container whose PID 1 has host PID `hostPid`, or null when unreadable here. */
export function cgroupProcsFile(hostPid: number): string | null {
  const cgroups = read(`/proc/${hostPid}/cgroup`);
  if (!cgroups) return null;
  const lines = cgroups
    .trim()
    .split('\n')
    .map((line) => line.split(':'));
  const v1 = lines.find(([, controllers]) => controllers.split(',').includes('pids'));
  const file = v1
    ? `/sys/fs/cgroup/pids${v1[2]}/cgroup.procs`
    : `/sys/fs/cgroup${lines.find(([id]) => id === '0')?.[2] ?? ''}/cgroup.procs`;
  return fs.existsSync(file) ? file : null;
}

/**
 * True when /proc here shows `hostPid` as a process of that container. False when the lab has a PID
 * namespace of its own (it runs in a container without `pid: host`): the same numbers are then other
 * processes, which must be neither sampled nor signalled.
 */
export function isProcessOfContainer(hostPid: number, containerId: string): boolean {
  return containerId.length > 0 && (read(`/proc/${hostPid}/cgroup`) ?? '').includes(containerId);
}

export interface RawProcess {
  hostPid: number;
  hostPpid: number;
  nsPid: number;
  state: string;
  exiting: boolean;
  command: string;
  argv: string[];
  exe?: string;
}

/** The kernel's task flag of a process that has begun to exit (include/linux/sched.h). */
const PF_EXITING = 0x4;

/**
 * How much of a command line is kept: a learner's process can carry megabytes of arguments, and each
 * sample of the tree is kept with the run.
 */
const MAX_COMMAND = 4096;
const MAX_ARGS = 64;
const MAX_ARG = 1024;

/** The argv of a cmdline file, bounded. */
function argvOf(cmdline: string): string[] {
  const args = cmdline.replace(/\0+$/, '').split('\0');
  return args.slice(0, MAX_ARGS).map((arg) => (arg.length > MAX_ARG ? `${arg.slice(0, MAX_ARG)}…` : arg));
}

/** One process as /proc shows it: its PID inside its container, its bounded command line, its state. */
export function readProcess(hostPid: number): RawProcess | null {
  const stat = read(`/proc/${hostPid}/stat`);
  const status = read(`/proc/${hostPid}/status`);
  if (!stat || !status) return null;
  // The name sits in parentheses and may itself contain spaces or parentheses: split after the last ')'.
  const close = stat.lastIndexOf(')');
  const name = stat.slice(stat.indexOf('(') + 1, close);
  // After the name: state, ppid, pgrp, session, tty_nr, tpgid, flags, ...
  const [state, ppid, , , , , flags] = stat.slice(close + 2).split(' ');
  const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1].trim().split(/\s+/);
  const cmdline = read(`/proc/${hostPid}/cmdline`) ?? '';
  const full = cmdline.replace(/\0+$/, '').split('\0').join(' ');
  const command = full.length > MAX_COMMAND ? `${full.slice(0, MAX_COMMAND)}…` : full;
  const gone = state === 'Z' || !command;
  // The program really running: argv[0] is whatever the process was started with (`exec -a node tail`).
  let exe: string | undefined;
  try {
    exe = gone ? undefined : fs.readlinkSync(`/proc/${hostPid}/exe`);
  } catch {
    exe = undefined;
  }
  return {
    hostPid,
    hostPpid: Number(ppid),
    nsPid: Number(nspid?.at(-1) ?? hostPid),
    state,
    exiting: state !== 'Z' && (Number(flags) & PF_EXITING) !== 0,
    command: gone ? `[${name}]` : command,
    argv: gone ? [name] : argvOf(cmdline),
    ...(exe ? { exe } : {}),
  };
}

/** Samples through /proc; works when the engine runs on this host and the lab may read its /proc. */
export class ProcSampler implements ProcessSampler {
  /** The command line last read for each host PID. */
  private commands = new Map<number, { command: string; argv: string[]; exe?: string }>();

  /** The container's cgroup.procs file, which lists its processes (zombies aside). */
  constructor(readonly procsFile: string) {}

  async sample(): Promise<ProcessInfo[]> {
    return this.sampleSync();
  }

  sampleSync(): ProcessInfo[] {
    const listed = (read(this.procsFile) ?? '').split('\n').filter(Boolean).map(Number);
    const found = new Map<number, RawProcess>();
    for (const pid of listed) {
      const info = readProcess(pid);
      if (info) found.set(pid, info);
    }
    // Zombies are gone from cgroup.procs but still listed as children of their parent.
    for (const pid of [...found.keys()]) {
      const children = read(`/proc/${pid}/task/${pid}/children`);
      for (const child of (children ?? '').split(' ').filter(Boolean).map(Number)) {
        if (found.has(child)) continue;
        const info = readProcess(child);
        if (info) found.set(child, info);
      }
    }
    // A process on its way out has released its command line and shows only its [name]: it keeps the
    // one read before, or PID 1's last sample would say `[sh]` where it was `/bin/sh -c node server.js`
    // (and read as a new program). A zombie shows its [name], as ps does.
    const commands = new Map<number, { command: string; argv: string[]; exe?: string }>();
    const processes = [...found.values()].map((raw) => {
      const known = this.commands.get(raw.hostPid);
      const { command, argv, exe } = raw.state !== 'Z' && raw.command.startsWith('[') && known ? known : raw;
      if (raw.state !== 'Z') commands.set(raw.hostPid, { command, argv, exe });
      return {
        pid: raw.nsPid,
        ppid: found.get(raw.hostPpid)?.nsPid ?? 0,
        state: raw.state,
        ...(raw.exiting ? { exiting: true } : {}),
        command,
        argv,
        ...(exe ? { exe } : {}),
        hostPid: raw.hostPid,
      };
    });
    this.commands = commands;
    return processes.sort((a, b) => a.pid - b.pid);
  }
}
