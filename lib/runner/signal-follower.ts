// The signals between the processes of one scenario's container, from the kernel's trace: each one
// sent to a process of the container becomes a `signal` event, with who sent it (a process of the
// container, the kernel as PID 1 ended, or something outside: Docker). Processes are known by the
// host PIDs the samples saw; one not sampled yet is looked up in /proc while it still exists.
import { signalName } from '../observe/exit-status';
import { isProcessOfContainer, readProcess } from '../observe/proc-sampler';
import type { SignalTrace, TracedSignal } from '../observe/signal-trace';
import type { NewEvent, ProcessInfo } from '../observe/timeline-event';

interface Known {
  pid: number;
  command: string;
}

/** The process of `containerId` with host PID `hostPid`, read from /proc (its command bounded), or null. */
function lookUp(hostPid: number, containerId: string): Known | null {
  const raw = isProcessOfContainer(hostPid, containerId) ? readProcess(hostPid) : null;
  return raw ? { pid: raw.nsPid, command: raw.command } : null;
}

export class SignalFollower {
  private readonly known = new Map<number, Known>();
  private unsubscribe: (() => void) | null = null;
  private containerId = '';

  constructor(
    private readonly trace: SignalTrace | null,
    private readonly add: (event: NewEvent) => void,
  ) {}

  /** Follows the signals to the processes of `containerId`; says in the timeline that they are traced. */
  follow(containerId: string): void {
    if (!this.trace || this.unsubscribe) return;
    this.containerId = containerId;
    this.unsubscribe = this.trace.subscribe((signal) => this.onSignal(signal));
    this.add({ type: 'signal-trace' });
  }

  /** Learns the host PIDs of a sample's processes. */
  sampled(processes: ProcessInfo[]): void {
    for (const p of processes)
      if (p.hostPid && p.state !== 'Z') this.known.set(p.hostPid, { pid: p.pid, command: p.command });
  }

  /** Hands over every signal sent so far, then stops following. */
  async stop(): Promise<void> {
    if (!this.unsubscribe) return;
    await this.trace?.flush();
    this.unsubscribe();
    this.unsubscribe = null;
  }

  private process(hostPid: number): Known | null {
    const known = this.known.get(hostPid) ?? lookUp(hostPid, this.containerId);
    if (known) this.known.set(hostPid, known);
    return known;
  }

  private onSignal(traced: TracedSignal): void {
    const target = this.process(traced.targetHostPid);
    if (!target) return;
    const sender = traced.byKernel ? null : this.process(traced.senderHostPid);
    this.add({
      type: 'signal',
      signal: signalName(traced.signal),
      to: target.pid,
      toCommand: target.command,
      ...(sender ? { from: sender.pid, fromCommand: sender.command } : {}),
      by: traced.byKernel ? 'kernel' : sender ? 'process' : 'outside',
      ...(traced.ignored ? { ignored: true } : {}),
    });
  }
}
