// Which process sent which signal to which: the kernel's own record (the signal:signal_generate
// tracepoint, read through tracefs), so that a check can judge the path docker stop's signal took
// (PID 1 passed SIGTERM to the worker, or killed it with SIGKILL and printed its goodbye itself) from
// what happened, not from what the processes printed. One trace instance per lab process, named after
// it, reading only the signals that end or ask a program to end; where tracefs cannot be written (no
// root, the lab in a container without it) there is no trace and the checks judge from the samples.
import fs from 'node:fs';
import path from 'node:path';
import { log } from '../log';

/** One signal as the kernel generated it; PIDs are the host's. */
export interface TracedSignal {
  signal: number;
  senderHostPid: number;
  senderComm: string;
  targetHostPid: number;
  /** Sent by the kernel itself (SI_KERNEL): the SIGKILL to every process of a PID namespace whose PID 1 ended. */
  byKernel: boolean;
  /** The target ignores it (no handler, default action ignore: PID 1 and SIGTERM). */
  ignored: boolean;
}

/** HUP, INT, QUIT, ABRT, KILL, USR1, USR2, TERM: the signals a stop or a supervisor sends. */
const SIGNALS = [1, 2, 3, 6, 9, 10, 12, 15];
const PREFIX = 'lab-signals-';
const POLL_MS = 15;
const SI_KERNEL = 128;
const RESULT_IGNORED = 1;
const EVENT = 'events/signal/signal_generate';

// `<comm>-<pid> [cpu] flags seconds: signal_generate: sig=15 errno=0 code=0 comm=node pid=42 grp=1 res=0`
const LINE =
  /^\s*(.*)-(\d+)\s+\[\d+\][^:]*:\s*signal_generate: sig=(\d+) errno=-?\d+ code=(-?\d+) comm=.* pid=(\d+) grp=\d+ res=(\d+)$/;
const MARK = /tracing_mark_write: (lab-flush-\d+)$/;

/** The tracefs mount where instances can be made, or null. */
function tracefsRoot(): string | null {
  for (const root of ['/sys/kernel/tracing', '/sys/kernel/debug/tracing']) {
    try {
      fs.accessSync(path.join(root, 'instances'), fs.constants.W_OK);
      return root;
    } catch {
      // not mounted here, or not ours to write
    }
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a trace instance (it stops tracing with it). */
function removeInstance(dir: string): void {
  try {
    fs.writeFileSync(path.join(dir, EVENT, 'enable'), '0');
    fs.rmdirSync(dir);
  } catch {
    // gone already, or still read by a process that is not ours
  }
}

/** The trace instances of lab processes that are gone (killed before they could remove them). */
export function staleTraceInstances(): string[] {
  const root = tracefsRoot();
  if (!root) return [];
  return fs
    .readdirSync(path.join(root, 'instances'))
    .filter((name) => name.startsWith(PREFIX) && !alive(Number(name.slice(PREFIX.length))))
    .map((name) => path.join(root, 'instances', name));
}

export class SignalTrace {
  private readonly listeners = new Set<(signal: TracedSignal) => void>();
  private readonly flushes = new Map<string, () => void>();
  private readonly buffer = Buffer.alloc(64 * 1024);
  private pending = '';
  private marks = 0;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly dir: string,
    private readonly fd: number,
  ) {
    this.timer = setInterval(() => this.drain(), POLL_MS);
    this.timer.unref();
  }

  /** Opens this process's trace instance, removing those of lab processes that are gone; null where tracing is not possible. */
  static open(): SignalTrace | null {
    if (process.env.LAB_SIGNAL_TRACE === 'off') return null;
    const root = tracefsRoot();
    if (!root) return null;
    for (const stale of staleTraceInstances()) removeInstance(stale);
    const dir = path.join(root, 'instances', `${PREFIX}${process.pid}`);
    try {
      if (!fs.existsSync(dir)) fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, EVENT, 'filter'), SIGNALS.map((n) => `sig == ${n}`).join(' || '));
      fs.writeFileSync(path.join(dir, EVENT, 'enable'), '1');
      const fd = fs.openSync(path.join(dir, 'trace_pipe'), fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      return new SignalTrace(dir, fd);
    } catch (error) {
      log.warn('Signals cannot be traced here; checks judge their path from the process samples', {
        error: String(error),
      });
      removeInstance(dir);
      return null;
    }
  }

  /** Calls `listener` with every signal traced from now on; returns the unsubscribe. */
  subscribe(listener: (signal: TracedSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every signal generated before the call has been handed to the listeners (1 s at most). */
  flush(): Promise<void> {
    const mark = `lab-flush-${++this.marks}`;
    return new Promise((resolve) => {
      const timeout = setTimeout(done, 1_000);
      const flushes = this.flushes;
      function done() {
        clearTimeout(timeout);
        flushes.delete(mark);
        resolve();
      }
      this.flushes.set(mark, done);
      try {
        fs.writeFileSync(path.join(this.dir, 'trace_marker'), mark);
      } catch {
        done();
      }
    });
  }

  /** Stops tracing and removes the instance. */
  close(): void {
    clearInterval(this.timer);
    try {
      fs.closeSync(this.fd);
    } catch {
      // closed already
    }
    removeInstance(this.dir);
    for (const done of [...this.flushes.values()]) done();
  }

  private drain(): void {
    for (;;) {
      let read: number;
      try {
        read = fs.readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      } catch {
        return; // EAGAIN: nothing more now
      }
      if (read <= 0) return;
      const lines = (this.pending + this.buffer.toString('utf8', 0, read)).split('\n');
      this.pending = lines.pop() ?? '';
      for (const line of lines) this.parse(line);
    }
  }

  private parse(line: string): void {
    const mark = MARK.exec(line);
    if (mark) {
      this.flushes.get(mark[1])?.();
      return;
    }
    const match = LINE.exec(line);
    if (!match) return;
    const signal: TracedSignal = {
      signal: Number(match[3]),
      senderComm: match[1],
      senderHostPid: Number(match[2]),
      targetHostPid: Number(match[5]),
      byKernel: Number(match[4]) === SI_KERNEL,
      ignored: Number(match[6]) === RESULT_IGNORED,
    };
    for (const listener of this.listeners) listener(signal);
  }
}

// One per process, whichever bundle asks (the server and its route bundles each have a copy of this
// module): two readers of one trace_pipe would each take lines from the other.
const holder = globalThis as unknown as { __labSignalTrace?: SignalTrace | null };

/** This process's signal trace, opened at first use and removed when the process exits; null where none is possible. */
export function signalTrace(): SignalTrace | null {
  if (holder.__labSignalTrace === undefined) {
    const trace = SignalTrace.open();
    holder.__labSignalTrace = trace;
    if (trace) process.once('exit', () => trace.close());
  }
  return holder.__labSignalTrace;
}
