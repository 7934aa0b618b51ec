// Runs one scenario of an exercise: creates the learner's container, follows its lifecycle events,
// samples its processes at 10 Hz, follows its output, performs the scenario's steps, and records all
// of it in the run's timeline. The container is removed before this returns, whatever happened.
import { log } from '../log';
import { containerDiskWatch, type DiskWatch } from '../observe/disk-watch';
import { signalFromExitCode } from '../observe/exit-status';
import { containerSampler } from '../observe/container-sampler';
import type { ProcessSampler } from '../observe/proc-sampler';
import { OutputBudget } from '../observe/output-budget';
import { matchesProcess, processPhrase, type ProcessMatcher } from '../observe/program';
import { pid1, processChanges } from '../observe/process-tree';
import type { Timeline } from '../observe/timeline';
import type { ActionOutcome, ProcessInfo } from '../observe/timeline-event';
import { stepId, type Action, type Scenario } from '../lessons/exercise-schema';
import type { Engine, EngineEvent, Stoppable } from '../sandbox/engine';
import type { RunLabels } from '../sandbox/labels';
import type { RunLimits } from '../sandbox/limits';
import type { RunEvents } from './run-events';
import { readWrittenFiles } from './written-files';
import { shmFileHeads } from '../observe/shm-files';
import { isProcessOfContainer } from '../observe/proc-sampler';
import { drawValues, withDrawnValues } from '../lessons/drawn-values';

/** How often processes are sampled while the container runs. */
export const SAMPLE_INTERVAL_MS = 100;
/** How often the container's state is re-read from the engine while waiting, in case an event was lost. */
const WATCHDOG_MS = 500;

/** What a scenario needs from its run. */
export interface ScenarioContext {
  engine: Engine;
  timeline: Timeline;
  events: RunEvents;
  labels: RunLabels;
  image: string;
  limits: RunLimits;
  /** Aborts every wait (the run was cancelled). */
  signal?: AbortSignal;
  /** Read back the files the container wrote (a check judges them by what they hold). */
  readFiles?: boolean;
}

/**
 * The process a signal step means: of those that match, one with no matching process below it, so
 * that a wrapper of the same name in front of the real program is not the one killed.
 */
function innermost(processes: ProcessInfo[], matcher: ProcessMatcher): ProcessInfo | undefined {
  const matching = processes.filter((p) => p.state !== 'Z' && matchesProcess(p, matcher));
  const below = (ancestor: ProcessInfo, p: ProcessInfo): boolean => {
    for (let parent = processes.find((q) => q.pid === p.ppid); parent; parent = processes.find((q) => q.pid === parent!.ppid)) {
      if (parent.pid === ancestor.pid) return true;
      if (parent.pid === parent.ppid) return false;
    }
    return false;
  };
  return matching.find((candidate) => !matching.some((other) => other !== candidate && below(candidate, other))) ?? matching[0];
}

/** Describes a step for the timeline. */
export function describeAction(action: Action): string {
  switch (action.do) {
    case 'wait-for-process':
      return `wait up to ${action.timeoutMs} ms for ${action.new ? 'a new ' : 'a '}${processPhrase(action.match)}`;
    case 'signal':
      return `send ${action.signal} to ${action.pid1 ? 'PID 1' : `the ${processPhrase(action.match!)}`}`;
    case 'stop':
      return `docker stop -t ${action.timeoutSec}`;
    case 'wait-for-exit':
      return `wait up to ${action.timeoutMs} ms for the container to exit for good`;
    case 'wait-for-restart':
      return `wait up to ${action.timeoutMs} ms for Docker to restart the container ${action.count} time(s)`;
    case 'wait':
      return `wait ${action.ms} ms`;
    case 'wait-for-output':
      return `wait up to ${action.timeoutMs} ms for a line of output matching /${action.match}/`;
    case 'exec':
      return `docker exec ${action.command.join(' ')}`;
  }
}

/** One scenario in progress. */
export class ScenarioRun {
  private containerId = '';
  private running = false;
  private restarting = false;
  private exitedForGood = false;
  private starts = 0;
  private restartCount = 0;
  private processes: ProcessInfo[] = [];
  /** Epoch ms of the last exit; output before it belongs to an earlier start. */
  private lastExitAt = 0;
  private sampler: ProcessSampler | null = null;
  private sampling = false;
  private sampleTimer: NodeJS.Timeout | null = null;
  private disk: DiskWatch | null = null;
  private logStream: Stoppable | null = null;
  private readonly output: OutputBudget;
  private readonly outputLines: string[] = [];
  private eventChain: Promise<void> = Promise.resolve();
  private readonly wakers = new Set<() => void>();
  private aborted = false;
  private closed = false;

  constructor(
    private readonly context: ScenarioContext,
    private readonly scenario: Scenario,
  ) {
    this.output = new OutputBudget(context.limits.outputBytes);
  }

  private add(event: Parameters<Timeline['add']>[0], at?: number) {
    if (this.closed) return;
    this.context.timeline.add({ ...event, scenario: this.scenario.id } as Parameters<Timeline['add']>[0], at);
    for (const wake of this.wakers) wake();
  }

  private offset(epochMs: number): number {
    return epochMs - this.context.timeline.startedAt;
  }

  /** Runs the scenario to its end; learner failures are recorded, platform faults are thrown after cleanup. */
  async run(): Promise<void> {
    const { engine, limits } = this.context;
    const drawn = drawValues(this.scenario.draw);
    this.add({ type: 'scenario-start', description: this.scenario.description, ...(Object.keys(drawn).length ? { drawn } : {}) });
    const deadline = setTimeout(() => {
      this.add({ type: 'deadline', what: 'scenario', limitMs: limits.scenarioDeadlineMs });
      this.abort();
    }, limits.scenarioDeadlineMs);
    const onAbort = () => this.abort();
    this.context.signal?.addEventListener('abort', onAbort);
    try {
      this.containerId = await engine.create({
        labels: this.context.labels,
        image: this.context.image,
        settings: { ...this.scenario.run, env: { ...this.scenario.run.env, ...drawn } },
        limits,
      });
      this.add({ type: 'container-create', containerId: this.containerId });
      this.context.events.register(this.containerId, (event) => {
        this.eventChain = this.eventChain.then(() => this.onEngineEvent(event)).catch((error) => {
          log.error('Failed to handle a container event', { run: this.context.labels.runId, container: this.containerId, action: event.action, error: String(error) });
        });
      });
      await engine.start(this.containerId);
      await this.waitUntil(() => this.starts > 0 || this.exitedForGood, 10_000);
      for (const [index, action] of this.scenario.actions.entries()) {
        if (this.aborted) break;
        await this.perform(withDrawnValues(action, drawn), index);
      }
    } finally {
      clearTimeout(deadline);
      this.context.signal?.removeEventListener('abort', onAbort);
      await this.cleanup();
    }
  }

  private abort() {
    this.aborted = true;
    for (const wake of this.wakers) wake();
  }

  private async onEngineEvent(event: EngineEvent): Promise<void> {
    if (this.closed) return;
    const { engine } = this.context;
    if (event.action === 'start') {
      const state = await engine.inspect(this.containerId).catch(() => null);
      if (this.starts > 0) {
        this.restartCount = state?.restartCount ?? this.restartCount + 1;
        this.add({ type: 'container-restart', restartCount: this.restartCount }, this.offset(event.time));
      }
      this.starts++;
      this.running = true;
      this.restarting = false;
      this.add({ type: 'container-start', hostPid: state?.pid || undefined }, this.offset(event.time));
      this.sampler = containerSampler(engine, this.containerId, state?.pid ?? 0);
      // A process can write before the engine stamps its start event: take output from the previous
      // exit on (or from the beginning), not from the start event's time.
      this.followOutput(this.lastExitAt);
      this.startSampling();
      await this.sampleNow();
    } else if (event.action === 'die') {
      const state = await engine.inspect(this.containerId).catch(() => null);
      this.recordDie(event.exitCode ?? state?.exitCode ?? -1, state?.oomKilled ?? false, state?.restarting ?? false, event.time);
    }
  }

  private recordDie(exitCode: number, oomKilled: boolean, willRestart: boolean, time: number) {
    if (!this.running && this.exitedForGood) return;
    this.lastExitAt = time;
    this.running = false;
    this.restarting = willRestart;
    this.exitedForGood = !willRestart;
    this.record([]);
    this.add(
      { type: 'container-die', exitCode, signal: signalFromExitCode(exitCode), oomKilled, willRestart },
      this.offset(time),
    );
  }

  private startSampling() {
    if (this.sampleTimer) return;
    this.sampleTimer = setInterval(() => void this.sampleNow(), SAMPLE_INTERVAL_MS);
    this.disk ??= containerDiskWatch(this.context.engine, this.containerId, this.context.limits, (event) => this.add(event));
    this.disk.start();
  }

  /** Samples every 10 ms (until cleared, at most 30 s): the order in which processes end, after a stop. */
  private sampleBurst(): NodeJS.Timeout {
    const burst = setInterval(() => void this.sampleNow(), 10);
    setTimeout(() => clearInterval(burst), 30_000).unref();
    return burst;
  }

  /** Takes a sample now (skipped if one is in progress) and records what changed. */
  private async sampleNow(): Promise<void> {
    if (!this.running || !this.sampler || this.sampling || this.closed) return;
    this.sampling = true;
    try {
      const processes = await this.sampler.sample();
      if (this.running) this.record(processes);
    } finally {
      this.sampling = false;
    }
  }

  private record(processes: ProcessInfo[]) {
    const before = this.processes;
    // Update the state first: adding an event wakes the waiting steps, which read it.
    this.processes = processes;
    for (const event of processChanges(before, processes)) this.add(event);
  }

  private followOutput(since: number) {
    this.logStream?.stop();
    const containerId = this.containerId;
    this.context.engine
      .logs(containerId, since, (line) => {
        if (this.closed) return;
        const verdict = this.output.take(line.text);
        if (verdict === 'truncate') this.add({ type: 'output-truncated', limitBytes: this.output.limitBytes });
        if (verdict !== 'keep') return;
        this.outputLines.push(line.text);
        this.add({ type: 'output', stream: line.stream, text: line.text }, this.offset(line.time));
      })
      .then((stream) => {
        if (this.closed || this.containerId !== containerId) stream.stop();
        else this.logStream = stream;
      })
      .catch(() => undefined); // the container may already be gone; its output is then lost with it
  }

  /**
   * Resolves true when `predicate` holds, false on timeout or abort. With `untilExit`, it also ends
   * (false) once the container has exited for good: nothing more can happen to wait for.
   */
  private waitUntil(predicate: () => boolean, timeoutMs: number, untilExit = false): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let finished = false;
      const finish = (value: boolean) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearInterval(watchdog);
        this.wakers.delete(check);
        resolve(value);
      };
      const check = () => {
        if (predicate()) finish(true);
        else if (this.aborted || (untilExit && this.exitedForGood)) finish(false);
      };
      const timer = setTimeout(() => finish(predicate()), timeoutMs);
      // Events are the fast path; the engine's state is the truth if one was lost.
      const watchdog = setInterval(() => void this.watchdog(), WATCHDOG_MS);
      this.wakers.add(check);
      check();
    });
  }

  private async watchdog() {
    if (this.closed || !this.containerId || (!this.running && !this.restarting && this.exitedForGood)) return;
    const state = await this.context.engine.inspect(this.containerId).catch(() => null);
    if (!state || state.running || state.restarting || this.closed) return;
    await this.eventChain;
    if (this.running || (!this.exitedForGood && this.starts > 0 && !this.restarting)) {
      this.recordDie(state.exitCode, state.oomKilled, false, state.finishedAt || Date.now());
    }
  }

  private gone(): string {
    return 'the container had exited for good, so there was nothing left to wait for';
  }

  private async perform(action: Action, index: number): Promise<void> {
    const id = stepId(action, index);
    this.add({ type: 'action-start', action: id, kind: action.do, detail: describeAction(action) });
    let outcome: ActionOutcome = 'done';
    let detail = '';
    switch (action.do) {
      case 'wait': {
        await this.waitUntil(() => false, action.ms, true);
        if (this.exitedForGood) detail = this.gone();
        break;
      }
      case 'wait-for-process': {
        const before = new Set(this.processes.map((p) => p.pid));
        const found = () => this.processes.some((p) => p.state !== 'Z' && matchesProcess(p, action.match) && !(action.new && before.has(p.pid)));
        if (!(await this.waitUntil(found, action.timeoutMs, true))) {
          outcome = 'timeout';
          detail = this.exitedForGood ? this.gone() : `no ${action.new ? 'new ' : ''}${processPhrase(action.match)} within ${action.timeoutMs} ms`;
        }
        break;
      }
      case 'wait-for-output': {
        const pattern = new RegExp(action.match);
        if (!(await this.waitUntil(() => this.outputLines.some((line) => pattern.test(line)), action.timeoutMs, true))) {
          outcome = 'timeout';
          detail = this.exitedForGood ? this.gone() : `no line matching /${action.match}/ within ${action.timeoutMs} ms`;
        }
        break;
      }
      case 'wait-for-exit': {
        if (!(await this.waitUntil(() => this.exitedForGood, action.timeoutMs))) {
          outcome = 'timeout';
          detail = `still ${this.restarting ? 'restarting' : 'running'} after ${action.timeoutMs} ms`;
        }
        break;
      }
      case 'wait-for-restart': {
        if (!(await this.waitUntil(() => this.restartCount >= action.count, action.timeoutMs, true))) {
          outcome = 'timeout';
          detail = `restarted ${this.restartCount} time(s)${this.exitedForGood ? ' before it exited for good' : ` within ${action.timeoutMs} ms`}`;
        }
        break;
      }
      case 'stop': {
        if (!this.running && !this.restarting) {
          outcome = 'skipped';
          detail = 'the container was not running';
          break;
        }
        // What the container wrote is read before the stop too: a program may remove its PID file on SIGTERM.
        if (this.context.readFiles) await this.recordWrittenFiles('before-stop').catch(() => undefined);
        // Who ends first after a stop (the program, or the shell in front of it) is what a check judges:
        // the tree is read every 10 ms until the container has ended.
        const burst = this.sampleBurst();
        try {
          await this.context.engine.stop(this.containerId, action.timeoutSec);
          await this.waitUntil(() => !this.running, 2_000);
        } finally {
          clearInterval(burst);
        }
        break;
      }
      case 'signal': {
        const target = action.pid1 ? pid1(this.processes) : innermost(this.processes, action.match!);
        if (!this.running || !target) {
          outcome = 'skipped';
          detail = this.running ? `no ${processPhrase(action.match!)}` : 'the container was not running';
          break;
        }
        await this.sendSignal(target, action.signal);
        detail = `sent ${action.signal} to PID ${target.pid} (${target.command})`;
        break;
      }
      case 'exec': {
        if (!this.running) {
          outcome = 'skipped';
          detail = 'the container was not running';
          break;
        }
        const result = await this.context.engine.exec(this.containerId, action.command, action.timeoutMs);
        this.add({ type: 'exec-result', action: id, exitCode: result.exitCode, output: result.output.slice(0, 4096) });
        detail = `exit code ${result.exitCode}`;
        break;
      }
    }
    await this.sampleNow();
    this.add({ type: 'action-end', action: id, outcome, detail });
  }

  /**
   * Signals a process. PID 1 gets `docker kill`: only the engine, from outside the container's PID
   * namespace, can deliver signals PID 1 has no handler for. Other processes are signalled from this
   * host when it can see them, else with `kill` inside the container.
   */
  private async sendSignal(target: ProcessInfo, signal: string): Promise<void> {
    if (target.pid === 1) {
      await this.context.engine.kill(this.containerId, signal);
      return;
    }
    if (target.hostPid) {
      try {
        process.kill(target.hostPid, signal as NodeJS.Signals);
        return;
      } catch {
        /* not permitted from here: fall back to kill inside the container */
      }
    }
    await this.context.engine.exec(this.containerId, ['kill', '-s', signal.replace(/^SIG/, ''), String(target.pid)], 5_000);
  }

  /**
   * The container's filesystem diff and, where a check judges files by what they hold, the first bytes
   * of what it wrote, /dev/shm included (a tmpfs, never in the diff), read while PID 1 still runs.
   */
  private async recordWrittenFiles(moment?: 'before-stop'): Promise<void> {
    const { engine } = this.context;
    const changes = await engine.diff(this.containerId);
    this.add({ type: 'fs-changes', changes, ...(moment ? { moment } : {}) });
    if (!this.context.readFiles) return;
    const files = await readWrittenFiles(engine, this.containerId, changes);
    const init = pid1(this.processes);
    if (this.running && init?.hostPid && isProcessOfContainer(init.hostPid, this.containerId)) files.push(...shmFileHeads(init.hostPid));
    this.add({ type: 'file-heads', files, ...(moment ? { moment } : {}) });
  }

  private async cleanup() {
    if (this.sampleTimer) clearInterval(this.sampleTimer);
    this.sampleTimer = null;
    this.disk?.stop();
    const { engine } = this.context;
    if (this.containerId) {
      await this.recordWrittenFiles().catch(() => undefined);
      this.context.events.unregister(this.containerId);
      // The output stream ends by itself once the container has stopped: let the last lines arrive.
      if (this.exitedForGood && this.logStream?.finished) {
        await Promise.race([this.logStream.finished, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      }
      this.logStream?.stop();
      await this.eventChain;
      this.add({ type: 'scenario-end' });
      this.closed = true;
      await engine.removeContainer(this.containerId);
    } else {
      this.add({ type: 'scenario-end' });
      this.closed = true;
    }
  }
}
