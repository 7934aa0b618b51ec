// (j) of `npm run bench`: what a run costs the machine in CPU-seconds, for each build exercise's
// solution, next to the same scenarios driven by a plain script of docker CLI calls on the same engine in
// the same run, and where the cost goes: the lab process (by phase: build, scenarios, the rest), dockerd
// and containerd, the containerd shims, the containers' own processes (their cgroups), and the rest of
// the machine (runc, the kernel's work for them). The machine's total comes from /proc/stat, less what it
// spent over the same time while idle just before (measured, and printed).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { allExercises, caseFiles, loadCurriculum, type BuildExercise } from '../lib/lessons/curriculum';
import { drawValues, runSettingsWith, withDrawnValues, withMemoryLimit } from '../lib/lessons/drawn-values';
import type { Action } from '../lib/lessons/action-schema';
import { Timeline } from '../lib/observe/timeline';
import { runExercise } from '../lib/runner/run-exercise';
import { RUN_LIMITS } from '../lib/sandbox/limits';
import { engine, OWNER } from './bench-engine';

const run = promisify(execFile);
const TICK_S = 0.01; // USER_HZ: /proc counts CPU time in hundredths of a second
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** CPU seconds the whole machine spent (all CPUs, idle and iowait excluded). */
function machineCpuSeconds(): number {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + (steal ?? 0)) * TICK_S;
}

/** utime + stime of a process (and, with `children`, of its waited-for children), in seconds. */
function processSeconds(pid: number | 'self', children = false): number | undefined {
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
interface Cost {
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
async function measure(work: () => Promise<void>, driverSeconds: () => number, idleRate: number): Promise<Cost> {
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
async function idleRate(seconds = 3): Promise<number> {
  const before = machineCpuSeconds();
  await delay(seconds * 1000);
  return (machineCpuSeconds() - before) / seconds;
}

const labSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
/** The docker CLI processes this script started and waited for. */
const cliSeconds = () => (processSeconds('self', true) ?? 0) - (processSeconds('self') ?? 0);

/** The lab's run of an exercise's solution, with the lab process's CPU per phase. */
async function labRun(exercise: BuildExercise, phases: Record<string, number>): Promise<void> {
  const timeline = new Timeline();
  let mark = labSeconds();
  let phase = 'before the build';
  const enter = (next: string) => {
    const now = labSeconds();
    phases[phase] = (phases[phase] ?? 0) + now - mark;
    mark = now;
    phase = next;
  };
  const stop = timeline.subscribe((event) => {
    if (event.type === 'build-start') enter('build');
    else if (event.type === 'build-end') enter('scenarios');
    else if (event.type === 'scenario-end') enter('between and after scenarios');
    else if (event.type === 'scenario-start') enter('scenarios');
  });
  const outcome = await runExercise({
    engine,
    exercise,
    files: caseFiles(exercise, 'solution'),
    owner: OWNER,
    timeline,
  });
  stop();
  enter('done');
  if (outcome.status !== 'pass')
    throw new Error(`${exercise.id}: its solution did not pass in the bench (${outcome.status})`);
}

/** A process of the container whose command line matches, by `docker top` (host PIDs, full args). */
async function topMatch(id: string, pattern: RegExp): Promise<number | undefined> {
  const { stdout } = await run('docker', ['top', id, '-eo', 'pid,args']).catch(() => ({ stdout: '' }));
  for (const line of stdout.split('\n').slice(1)) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match && pattern.test(match[2])) return Number(match[1]);
  }
  return undefined;
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await delay(100);
  }
  throw new Error(`the CLI script waited in vain for ${what}`);
}

function matcherOf(match: unknown): RegExp {
  if (typeof match === 'string') return new RegExp(match);
  const { program, script } = match as { program?: string; script?: string };
  return new RegExp(`${program ? `(^|/)${program}\\b` : ''}.*${script ? script.replace(/[.]/g, '\\.') : ''}`);
}

/** One step of a scenario with the docker CLI, as a person or a plain script would do it. */
async function cliStep(id: string, action: Action): Promise<void> {
  switch (action.do) {
    case 'wait':
      return void (await delay(action.ms));
    case 'wait-for-process':
      return until(
        'a process',
        action.timeoutMs,
        async () => (await topMatch(id, matcherOf(action.match))) !== undefined,
      );
    case 'wait-for-output':
      return until('a line', action.timeoutMs, async () => {
        const { stdout, stderr } = await run('docker', ['logs', id]).catch(() => ({ stdout: '', stderr: '' }));
        return new RegExp(action.match, 'm').test(stdout + stderr);
      });
    case 'signal': {
      if (action.pid1) return void (await run('docker', ['kill', '-s', action.signal, id]).catch(() => undefined));
      const pid = await topMatch(id, matcherOf(action.match));
      if (pid) process.kill(pid, action.signal as NodeJS.Signals);
      return;
    }
    case 'stop':
      return void (await run('docker', ['stop', '-t', String(action.timeoutSec), id]).catch(() => undefined));
    case 'exec':
      return void (await run('docker', ['exec', id, ...action.command], { timeout: action.timeoutMs }).catch(
        () => undefined,
      ));
    case 'wait-for-exit':
      return void (await run('docker', ['wait', id], { timeout: action.timeoutMs }).catch(() => undefined));
    case 'wait-for-restart':
      return until('a restart', action.timeoutMs, async () => {
        const { stdout } = await run('docker', ['inspect', '-f', '{{.RestartCount}}', id]).catch(() => ({
          stdout: '0',
        }));
        return Number(stdout.trim()) >= action.count;
      });
  }
}

/** The same scenarios with the docker CLI: a cached build, docker run with the sandbox's flags, the steps, the logs. */
async function cliRun(exercise: BuildExercise, dir: string, tag: string): Promise<void> {
  await run('docker', ['build', '-q', '-t', tag, dir]);
  for (const scenario of exercise.spec.scenarios) {
    const values = drawValues(scenario.draw);
    const settings = runSettingsWith(scenario.run, values, scenario.draw);
    const limits = withMemoryLimit(RUN_LIMITS, settings.memoryMb);
    const args = [
      'run',
      '-d',
      '--network',
      'none',
      '--memory',
      String(limits.memoryBytes),
      '--memory-swap',
      String(limits.memoryBytes),
    ];
    args.push('--pids-limit', String(RUN_LIMITS.pids), '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges');
    args.push('--label', `lab.owner=${OWNER}`);
    for (const [name, value] of Object.entries(settings.env)) args.push('-e', `${name}=${value}`);
    const policy = settings.restart.policy;
    args.push(
      '--restart',
      settings.restart.maxRetries !== undefined ? `${policy}:${settings.restart.maxRetries}` : policy,
    );
    if (settings.init) args.push('--init');
    if (settings.command) args.push('--entrypoint', settings.command[0]);
    args.push(tag, ...(settings.command ? settings.command.slice(1) : []), ...(settings.args ?? []));
    const id = (await run('docker', args)).stdout.trim();
    try {
      for (const action of withDrawnValues(scenario.actions, values)) await cliStep(id, action);
      await run('docker', ['logs', id]);
    } finally {
      await run('docker', ['rm', '-f', id]).catch(() => undefined);
    }
  }
}

/** (j) for every build exercise: `runs` runs of its solution by the lab and by the CLI script, alternately. */
export async function benchRunCost(runs: number, only?: string) {
  const exercises = allExercises(loadCurriculum()).filter(
    (exercise): exercise is BuildExercise => exercise.kind === 'build' && (!only || exercise.id.includes(only)),
  );
  const idle = await idleRate();
  const rows = [];
  const phases: Record<string, number> = {};
  const sum = { lab: emptyCost(), cli: emptyCost() };
  for (const exercise of exercises) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-cost-'));
    const tag = `lab-bench-cost:${exercise.name}`;
    for (const file of caseFiles(exercise, 'solution')) fs.writeFileSync(path.join(dir, file.name), file.content);
    try {
      await labRun(exercise, {}); // warm both caches
      await cliRun(exercise, dir, tag);
      const lab = emptyCost();
      const cli = emptyCost();
      let labWall = 0;
      for (let i = 0; i < runs; i++) {
        const began = Date.now();
        addCost(lab, await measure(() => labRun(exercise, phases), labSeconds, idle));
        labWall += (Date.now() - began) / 1000;
        addCost(cli, await measure(() => cliRun(exercise, dir, tag), cliSeconds, idle));
      }
      addCost(sum.lab, lab);
      addCost(sum.cli, cli);
      rows.push({
        exercise: exercise.id,
        lab_cpu_s_per_run: round(lab.total / runs),
        lab_alone_s_per_run: round(labWall / runs, 1),
        cli_cpu_s_per_run: round(cli.total / runs),
        ratio: round(lab.total / Math.max(cli.total, 1e-9)),
      });
    } finally {
      await run('docker', ['rmi', tag]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const count = runs * exercises.length;
  const perRun = (cost: Cost) =>
    Object.fromEntries(Object.entries(cost).map(([key, value]) => [key, round(value / count)]));
  return {
    runs_per_exercise: runs,
    idle_machine_cpu_per_s: round(idle, 3),
    exercises: rows,
    lab_cpu_s_per_run: perRun(sum.lab),
    cli_cpu_s_per_run: { ...perRun(sum.cli), driver_is: 'the docker CLI processes' },
    ratio: round(sum.lab.total / Math.max(sum.cli.total, 1e-9)),
    lab_process_by_phase_s_per_run: Object.fromEntries(
      Object.entries(phases).map(([name, seconds]) => [name, round(seconds / count, 3)]),
    ),
  };
}

function emptyCost(): Cost {
  return { total: 0, driver: 0, dockerd: 0, containerd: 0, shims: 0, containers: 0, other: 0 };
}

function addCost(into: Cost, cost: Cost): void {
  for (const key of Object.keys(into) as (keyof Cost)[]) into[key] += cost[key];
}
