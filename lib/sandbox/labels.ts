// Labels on every image and container the lab creates, so that each can be traced to its run and
// reaped when its run is gone.
import fs from 'node:fs';
import os from 'node:os';

/** The run id. */
export const RUN_LABEL = 'lab.run';
/** The learner or tool that started the run. */
export const OWNER_LABEL = 'lab.owner';
/** Epoch ms after which the resource is an orphan whatever else is true: no run lasts that long. */
export const EXPIRES_LABEL = 'lab.expires';
/** hostname/pid/start-time of the lab process that created it: when that process is gone, so is the run. */
export const PROCESS_LABEL = 'lab.process';
/** The run id of everything a learner makes from the terminal is this prefix and their scope key. */
export const TERMINAL_RUN_PREFIX = 'terminal-';

/** The labels of one run's resources. */
export interface RunLabels {
  runId: string;
  owner: string;
  expiresAt: number;
  /** More labels, such as the terminal's origin label on what the lab creates in a learner's name. */
  extra?: Record<string, string>;
}

function processStartTicks(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Identifies this process across restarts and PID reuse. */
export const thisProcess = `${os.hostname()}/${process.pid}/${processStartTicks(process.pid) ?? Date.now()}`;

/** True when the process named by a lab.process label is certainly gone (same host, PID dead or reused). */
export function processIsGone(label: string | undefined): boolean {
  if (!label) return false;
  const [host, pid, ticks] = label.split('/');
  if (host !== os.hostname() || !pid) return false;
  return processStartTicks(Number(pid)) !== ticks;
}

/** Docker labels for a run's image or container. */
export function labelsFor(run: RunLabels): Record<string, string> {
  return {
    [RUN_LABEL]: run.runId,
    [OWNER_LABEL]: run.owner,
    [EXPIRES_LABEL]: String(run.expiresAt),
    [PROCESS_LABEL]: thisProcess,
    ...run.extra,
  };
}
