// PID files and log files, judged by name and by what they hold, wherever the container wrote them.
import type { Assertion } from '../lessons/exercise-schema';
import type { ScenarioRecord, Verdict } from './scenario-record';

/** PIDs the lab saw in the container during the scenario, inside it and on the host. */
function observedPids(record: ScenarioRecord): Set<number> {
  const pids = new Set<number>();
  for (const snapshot of record.of('snapshot')) {
    for (const process of snapshot.processes) {
      pids.add(process.pid);
      if (process.hostPid) pids.add(process.hostPid);
    }
  }
  return pids;
}

const PID_FILE_NAME = /(\.pid|^pid|pidfile)$/i;

/**
 * The PID a small file holds, the ways programs write one: the number alone, `pid=N` or a JSON
 * `"pid": N`, or a lock file's first number. Null for anything else (a log line that mentions a PID is
 * not a PID file).
 */
function pidHeld(text: string, fileName: string): number | null {
  if (text.length > 1024) return null;
  const alone = /^\s*(\d{1,7})\s*$/.exec(text);
  const keyed = /\bpid\b["']?\s*[:=]\s*["']?(\d{1,7})\b/i.exec(text);
  const locked = /\.lock$/i.test(fileName) ? /\b(\d{1,7})\b/.exec(text) : null;
  const match = alone ?? keyed ?? locked;
  return match ? Number(match[1]) : null;
}
const LOG_FILE_NAME = /\.log(\.\d+)?$/i;

/** no-pid-file and no-log-file: every file the container wrote, judged by name and by what it holds. */
export function writtenFileKinds(
  assertion: Extract<Assertion, { type: 'no-pid-file' | 'no-log-file' }>,
  record: ScenarioRecord,
): Verdict {
  // Everything read, before the stop and at the end: a PID file removed on SIGTERM was still a PID file.
  const diffs = record.of('fs-changes');
  const reads = record.of('file-heads');
  const changes = diffs.length
    ? { changes: [...new Map(diffs.flatMap((diff) => diff.changes).map((change) => [change.path, change])).values()] }
    : undefined;
  const heads = reads.length
    ? {
        files: [...new Map(reads.flatMap((read) => read.files).map((file) => [file.path, file])).values()],
        seq: reads.at(-1)!.seq,
      }
    : undefined;
  const pidFiles = assertion.type === 'no-pid-file';
  const expected = pidFiles
    ? 'no PID file anywhere in the container (no *.pid file, no file holding the PID of one of its processes)'
    : `no log file anywhere in the container (no *.log file, nothing under /var/log${assertion.lines ? `, no file holding the app's log lines` : ''})`;
  if (!changes || !heads)
    return { pass: false, expected, observed: 'the container filesystem could not be read (the container never ran)' };
  // What the diff shows, and what was read outside it (/dev/shm).
  const written = [
    ...changes.changes.filter((change) => change.kind !== 'deleted'),
    ...heads.files
      .filter((file) => !changes.changes.some((change) => change.path === file.path))
      .map((file) => ({ kind: 'added' as const, path: file.path })),
  ];
  const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const headOf = new Map(heads.files.map((file) => [file.path, file]));
  const found: string[] = [];
  if (pidFiles) {
    const pids = observedPids(record);
    for (const change of written) {
      const head = headOf.get(change.path);
      if (!head) continue;
      const pid = pidHeld(head.head, name(change.path));
      if (PID_FILE_NAME.test(name(change.path))) found.push(`${change.path} (named like a PID file)`);
      else if (pid !== null && pids.has(pid))
        found.push(`${change.path} (holds ${pid}, the PID of a process of the container)`);
    }
  } else {
    const lines = assertion.lines ? new RegExp(assertion.lines) : null;
    for (const change of written) {
      const head = headOf.get(change.path);
      if (!head) continue;
      const logged = lines && head.head.split('\n').some((line) => lines.test(line));
      if (LOG_FILE_NAME.test(name(change.path)) || change.path.startsWith('/var/log/'))
        found.push(`${change.path} (a log file by its name or place)`);
      else if (logged) found.push(`${change.path} (holds the app's log lines)`);
    }
  }
  return {
    pass: found.length === 0,
    expected,
    observed: found.length ? found.join(', ') : `none among the ${written.length} path(s) the container wrote`,
    evidence: reads.at(-1),
  };
}
