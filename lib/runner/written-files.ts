// What the container wrote, read back: the first bytes of each file its filesystem diff shows, so a
// check can tell a PID file or a log file by what it holds, wherever it was written. Bounded: a few
// dozen files, a few KiB each, those named like PID or log files first.
import { isProcessOfContainer } from '../observe/proc-sampler';
import { pid1 } from '../observe/process-tree';
import { shmFileHeads } from '../observe/shm-files';
import type { FileChange, FileHead, NewEvent, ProcessInfo } from '../observe/timeline-event';
import type { Engine } from '../sandbox/engine';

/** Files read, and bytes of each. */
const MAX_FILES = 40;
const HEAD_BYTES = 4096;

/** Paths whose contents are the kernel's or the engine's, never the app's. */
const NOT_THE_APPS = /^\/(proc|sys|dev)(\/|$)|^\/etc\/(hostname|hosts|resolv\.conf)$/;

/** Named like a PID file or a log file: read first when there are more files than can be read. */
export const LOOKS_LIKE_PID_OR_LOG = /\.(pid|log|out|err|error)$|\/(var\/)?(run|log)\//i;

/** The heads of the files the container added or changed. */
export async function readWrittenFiles(
  engine: Engine,
  containerId: string,
  changes: FileChange[],
): Promise<FileHead[]> {
  const candidates = changes
    .filter((change) => change.kind !== 'deleted' && !NOT_THE_APPS.test(change.path))
    .map((change) => change.path)
    .sort((a, b) => Number(LOOKS_LIKE_PID_OR_LOG.test(b)) - Number(LOOKS_LIKE_PID_OR_LOG.test(a)))
    .slice(0, MAX_FILES);
  return candidates.length ? engine.readFileHeads(containerId, candidates, HEAD_BYTES) : [];
}

/**
 * Records the container's filesystem diff and, with `readFiles` (a check judges files by what they
 * hold), the first bytes of what it wrote, /dev/shm included (a tmpfs, never in the diff), read while
 * PID 1 still runs.
 */
export async function recordWrittenFiles(
  container: { engine: Engine; containerId: string; running: boolean; processes: ProcessInfo[] },
  readFiles: boolean,
  add: (event: NewEvent) => void,
  moment?: 'before-stop',
): Promise<void> {
  const { engine, containerId } = container;
  const changes = await engine.diff(containerId);
  add({ type: 'fs-changes', changes, ...(moment ? { moment } : {}) });
  if (!readFiles) return;
  const files = await readWrittenFiles(engine, containerId, changes);
  const init = pid1(container.processes);
  if (container.running && init?.hostPid && isProcessOfContainer(init.hostPid, containerId))
    files.push(...shmFileHeads(init.hostPid));
  add({ type: 'file-heads', files, ...(moment ? { moment } : {}) });
}
