// Watches a started container until it has exited for good: samples its processes (PID 1 and the rest)
// while it runs, and reads Docker's record of the exit once the die event says it is over. Events are
// the fast path; a periodic inspect is the backstop in case one is lost, and a deadline ends the wait.
import { containerSampler } from '../observe/container-sampler';
import { signalName } from '../observe/exit-status';
import type { RunEvents } from '../runner/run-events';
import type { ContainerState, Engine } from '../sandbox/engine';
import type { ContainerObservation } from './incident-truth';

/** How often the processes are sampled: incident apps live about a second before they fail. */
const SAMPLE_MS = 50;
/** How often the container's state is re-read in case the die event was lost. */
const WATCHDOG_MS = 250;

/** What watching needs. */
export interface ExitWatchRequest {
  engine: Engine;
  /** The stream of the container's run, opened before the container was created. */
  events: RunEvents;
  containerId: string;
  /** How long the container may run; past it the watch fails. */
  deadlineMs: number;
  signal?: AbortSignal;
}

/** Resolves with what was observed once the container has exited; rejects past the deadline or on abort. */
export async function watchUntilExit(request: ExitWatchRequest): Promise<ContainerObservation> {
  const { engine, containerId } = request;
  let pid1Command: string | undefined;
  const otherCommands = new Set<string>();
  const signals: { signal: string; time: number }[] = [];
  const first = await engine.inspect(containerId);
  const sampler = containerSampler(engine, containerId, first.pid);
  let sampling = false;
  const sample = async () => {
    if (sampling) return;
    sampling = true;
    try {
      for (const process of await sampler.sample()) {
        // A process on its way out has no command line left (the sampler shows its [name]): the one seen before stands.
        if (process.state === 'Z' || /^\[.*\]$/.test(process.command)) continue;
        if (process.pid === 1) pid1Command = process.command;
        else otherCommands.add(process.command);
      }
    } finally {
      sampling = false;
    }
  };

  const final = await new Promise<ContainerState>((resolve, reject) => {
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (outcome: ContainerState | Error) => {
      if (done) return;
      done = true;
      timers.forEach(clearInterval);
      request.events.unregister(containerId);
      request.signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = () => finish(new Error('the watch was cancelled'));
    // Docker's record is read after the exit: the die event can arrive a moment before inspect agrees.
    const settleIfExited = async () => {
      const state = await engine
        .inspect(containerId)
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      if (state instanceof Error) finish(state);
      else if (!state.running && !state.restarting) finish(state);
    };
    request.events.register(containerId, (event) => {
      // Docker's own signals to PID 1 (docker kill, docker stop's SIGTERM and then SIGKILL).
      if (event.action === 'kill' && event.signal !== undefined)
        signals.push({ signal: signalName(event.signal), time: event.time });
      if (event.action === 'die') void settleIfExited();
    });
    request.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setInterval(() => void sample(), SAMPLE_MS));
    timers.push(setInterval(() => void settleIfExited(), WATCHDOG_MS));
    timers.push(
      setTimeout(
        () => finish(new Error(`the container was still running after ${request.deadlineMs} ms`)),
        request.deadlineMs,
      ),
    );
    void sample().then(() => (first.running ? undefined : settleIfExited()));
  });
  return {
    pid1Command,
    otherCommands: [...otherCommands].sort(),
    startedCommand: final.command,
    exitCode: final.exitCode,
    oomKilled: final.oomKilled,
    signals,
  };
}
