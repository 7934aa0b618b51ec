// Runs one scenario of an exercise: creates the learner's container, follows its lifecycle events,
// samples its processes at 10 Hz, follows its output, performs the scenario's steps, and records all
// of it in the run's timeline. The container is removed before this returns, whatever happened.
import { log } from '../log';
import { containerDiskWatch, type DiskWatch } from '../observe/disk-watch';
import { signalFromExitCode, signalName } from '../observe/exit-status';
import { containerSampler } from '../observe/container-sampler';
import { MemoryWatch, containerOomFile, memoryFiles, type MemoryReading } from '../observe/memory-watch';
import { OomEvidence } from './oom-evidence';
import { isProcessOfContainer, ProcSampler } from '../observe/proc-sampler';
import { processChanges } from '../observe/process-tree';
import type { NewEvent, ProcessInfo } from '../observe/timeline-event';
import { drawValues, runSettingsWith, withDrawnValues, withMemoryLimit } from '../lessons/drawn-values';
import { stepId, type Action, type Scenario } from '../lessons/exercise-schema';
import type { EngineEvent } from '../sandbox/engine';
import { ConditionWaiter } from './condition-waiter';
import { describeAction } from './describe-action';
import { OutputFollower } from './output-follower';
import { foreignSignalMessage, OwnSignals } from './own-signals';
import { performStep, type StepContext } from './perform-step';
import { SamplingLoop } from './sampling-loop';
import type { ScenarioContext } from './scenario-context';
import { initialScenarioState } from './scenario-state';
import { signalTrace } from '../observe/signal-trace';
import { SignalFollower } from './signal-follower';
import { recordWrittenFiles } from './written-files';

/** One scenario in progress. */
export class ScenarioRun {
  private containerId = '';
  private readonly state = initialScenarioState();
  private readonly sampling = new SamplingLoop(
    () => this.state.running && !this.closed,
    (processes) => this.state.running && this.record(processes),
  );
  private disk: DiskWatch | null = null;
  private memory: MemoryWatch | null = null;
  /** Set once the scenario ends: a start after that (a restart policy) gets no memory watch. */
  private memoryDone = false;
  /** Whether the OOM killer ended the current start: see OomEvidence. */
  private readonly oom = new OomEvidence();
  private readonly ownSignals = new OwnSignals();
  private readonly output: OutputFollower;
  private readonly signals: SignalFollower;
  private readonly waiter = new ConditionWaiter(() => this.watchdog());
  private eventChain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly context: ScenarioContext,
    private readonly scenario: Scenario,
  ) {
    this.output = new OutputFollower(context.engine, context.limits.outputBytes, {
      onLine: (line) => this.add({ type: 'output', stream: line.stream, text: line.text }, this.offset(line.time)),
      onTruncated: (limitBytes) => this.add({ type: 'output-truncated', limitBytes }),
      closed: () => this.closed,
    });
    this.signals = new SignalFollower(context.engine.local ? signalTrace() : null, (event) => this.add(event));
  }

  private add(event: NewEvent, at?: number) {
    if (this.closed) return;
    this.context.timeline.add({ ...event, scenario: this.scenario.id } as NewEvent, at);
    this.waiter.wake();
  }

  private offset(epochMs: number): number {
    return epochMs - this.context.timeline.startedAt;
  }

  /** Runs the scenario to its end; learner failures are recorded, platform faults are thrown after cleanup. */
  async run(): Promise<void> {
    const { engine, limits } = this.context;
    const drawn = drawValues(this.scenario.draw);
    this.add({
      type: 'scenario-start',
      description: this.scenario.description,
      ...(Object.keys(drawn).length ? { drawn } : {}),
    });
    const deadline = setTimeout(() => {
      this.add({ type: 'deadline', what: 'scenario', limitMs: limits.scenarioDeadlineMs });
      this.waiter.abort();
    }, limits.scenarioDeadlineMs);
    const onAbort = () => this.waiter.abort();
    this.context.signal?.addEventListener('abort', onAbort);
    try {
      const settings = runSettingsWith(this.scenario.run, drawn, this.scenario.draw);
      this.containerId = await engine.create({
        labels: this.context.labels,
        image: this.context.image,
        settings,
        limits: withMemoryLimit(limits, settings.memoryMb),
      });
      this.add({ type: 'container-create', containerId: this.containerId });
      this.signals.follow(this.containerId);
      this.context.events.register(this.containerId, (event) => {
        // Counted on arrival, not in turn: a die waiting for a late `oom` event must be able to see it.
        if (event.action === 'oom') this.oom.oomEvent();
        if (event.action === 'kill' && event.signal !== undefined) this.oom.killEvent(event.signal);
        void this.inTurn(() => this.onEngineEvent(event), event.action);
      });
      await engine.start(this.containerId);
      if (engine.local) this.oom.watchEarly(containerOomFile(this.containerId));
      await this.waitUntil(() => this.state.starts > 0 || this.state.exitedForGood, 10_000);
      for (const [index, action] of this.scenario.actions.entries()) {
        if (this.waiter.aborted) break;
        await this.perform(withDrawnValues(action, drawn), index);
      }
    } finally {
      clearTimeout(deadline);
      this.context.signal?.removeEventListener('abort', onAbort);
      await this.cleanup();
    }
  }

  /** Runs `handle` after every engine event and check before it, one at a time. */
  private inTurn(handle: () => Promise<void>, action: string): Promise<void> {
    this.eventChain = this.eventChain.then(handle).catch((error) => {
      log.error('Failed to handle a container event', {
        run: this.context.labels.runId,
        container: this.containerId,
        action,
        error: String(error),
      });
    });
    return this.eventChain;
  }

  private async onEngineEvent(event: EngineEvent): Promise<void> {
    if (this.closed) return;
    const { engine } = this.context;
    const { state } = this;
    if (event.action === 'start') {
      const inspected = await engine.inspect(this.containerId).catch(() => null);
      if (state.starts > 0) {
        state.restartCount = inspected?.restartCount ?? state.restartCount + 1;
        this.add({ type: 'container-restart', restartCount: state.restartCount }, this.offset(event.time));
      }
      state.starts++;
      this.oom.started();
      state.running = true;
      state.restarting = false;
      this.add({ type: 'container-start', hostPid: inspected?.pid || undefined }, this.offset(event.time));
      const sampler = containerSampler(engine, this.containerId, inspected?.pid ?? 0);
      this.sampling.use(sampler);
      // PID 1's exit is seen from its cgroup within milliseconds where the sampler reads it here.
      if (sampler instanceof ProcSampler)
        this.sampling.watchExit(sampler.procsFile, inspected?.pid ?? 0, () => this.memory?.readOomKills());
      this.watchMemory(inspected?.pid ?? 0);
      if (this.memory) this.oom.stopEarly();
      // Output may precede the start event: follow it from the previous exit on (or from the beginning).
      this.output.follow(this.containerId, state.lastExitAt);
      this.startSampling();
      await this.sampling.sampleNow();
    } else if (event.action === 'kill' && event.signal !== undefined) {
      const signal = signalName(event.signal);
      this.add({ type: 'container-signal', signal }, this.offset(event.time));
      if (this.ownSignals.foreign(event.time))
        this.add({ type: 'platform-error', message: foreignSignalMessage(signal) });
    } else if (event.action === 'stop') {
      this.add({ type: 'container-stop' }, this.offset(event.time));
    } else if (event.action === 'die') {
      const inspected = await engine.inspect(this.containerId).catch(() => null);
      const exitCode = event.exitCode ?? inspected?.exitCode ?? -1;
      // Docker marks it restarting before it reports the death; inspected later (a loaded machine, a
      // 100 ms first back-off) it may already be running again: restarted too.
      this.recordDie(
        exitCode,
        await this.oomKilled(exitCode, inspected?.oomKilled ?? false),
        (inspected?.restarting || inspected?.running) ?? false,
        event.time,
      );
    }
  }

  private recordDie(exitCode: number, oomKilled: boolean, willRestart: boolean, time: number) {
    const { state } = this;
    if (!state.running && state.exitedForGood) return;
    this.memory?.stop();
    state.lastExitAt = time;
    state.running = false;
    state.restarting = willRestart;
    state.exitedForGood = !willRestart;
    this.record([]);
    this.add(
      { type: 'container-die', exitCode, signal: signalFromExitCode(exitCode), oomKilled, willRestart },
      this.offset(time),
    );
  }

  /** Whether the start that just ended was ended by the OOM killer (the kernel's count, read last, first). */
  private oomKilled(exitCode: number, inspected: boolean): Promise<boolean> {
    return this.oom.settle(exitCode, inspected, () => {
      this.memory?.readOomKills();
      return this.memory?.oomKilled ?? false;
    });
  }

  /** Each start of the container has its own memory watch, where its cgroup can be read here. */
  private watchMemory(hostPid: number) {
    this.memory?.stop();
    const here = !this.memoryDone && this.context.engine.local && hostPid > 0;
    const files = here && isProcessOfContainer(hostPid, this.containerId) ? memoryFiles(hostPid) : null;
    const onReading = (reading: MemoryReading) => this.add({ type: 'memory', ...reading });
    this.memory = files ? new MemoryWatch(files, this.context.limits.memoryBytes, onReading) : null;
    this.memory?.start();
  }

  private startSampling() {
    if (!this.sampling.start()) return;
    this.disk ??= containerDiskWatch(this.context.engine, this.containerId, this.context.limits, (event) => {
      this.ownSignals.expect(5_000);
      this.add(event);
    });
    this.disk.start();
  }

  private record(processes: ProcessInfo[]) {
    const before = this.state.processes;
    // Update the state first: adding an event wakes the waiting steps, which read it.
    this.state.processes = processes;
    this.signals.sampled(processes);
    for (const event of processChanges(before, processes)) this.add(event);
  }

  /** See StepContext.waitUntil. */
  private waitUntil(predicate: () => boolean, timeoutMs: number, untilExit = false): Promise<boolean> {
    return this.waiter.until(predicate, timeoutMs, () => untilExit && this.state.exitedForGood);
  }

  /** Events are the fast path; the engine's state is the truth if one was lost. */
  private async watchdog() {
    const { state } = this;
    if (this.closed || !this.containerId || (!state.running && !state.restarting && state.exitedForGood)) return;
    const inspected = await this.context.engine.inspect(this.containerId).catch(() => null);
    if (!inspected || inspected.running || inspected.restarting || this.closed) return;
    // In turn with the engine's events, so a die event handled meanwhile is not recorded twice.
    await this.inTurn(async () => {
      if (state.running || (!state.exitedForGood && state.starts > 0 && !state.restarting)) {
        const oomKilled = await this.oomKilled(inspected.exitCode, inspected.oomKilled);
        this.recordDie(inspected.exitCode, oomKilled, false, inspected.finishedAt || Date.now());
      }
    }, 'watchdog');
  }

  private async perform(action: Action, index: number): Promise<void> {
    const id = stepId(action, index);
    this.add({ type: 'action-start', action: id, kind: action.do, detail: describeAction(action) });
    const step = () => performStep(this.stepContext(), action, id);
    const { outcome, detail } = await (action.do === 'stop' || action.do === 'signal'
      ? this.ownSignals.during(step)
      : step());
    await this.sampling.sampleNow();
    this.add({ type: 'action-end', action: id, outcome, detail });
  }

  private stepContext(): StepContext {
    return {
      engine: this.context.engine,
      containerId: this.containerId,
      state: this.state,
      outputLines: this.output.lines,
      readFiles: this.context.readFiles ?? false,
      waitUntil: (predicate, timeoutMs, untilExit) => this.waitUntil(predicate, timeoutMs, untilExit),
      sampleBurst: () => this.sampling.burst(),
      recordWrittenFiles: (moment) => this.recordWrittenFiles(moment),
      add: (event) => this.add(event),
    };
  }

  private recordWrittenFiles(moment?: 'before-stop'): Promise<void> {
    const { engine, readFiles } = this.context;
    const { running, processes } = this.state;
    const container = { engine, containerId: this.containerId, running, processes };
    return recordWrittenFiles(container, readFiles ?? false, (event) => this.add(event), moment);
  }

  private async cleanup() {
    this.sampling.stop();
    this.disk?.stop();
    this.memoryDone = true;
    this.memory?.stop();
    this.oom.stopEarly();
    const { engine } = this.context;
    if (this.containerId) {
      await this.recordWrittenFiles().catch(() => undefined);
      this.context.events.unregister(this.containerId);
      // The output stream ends by itself once the container has stopped: let the last lines arrive.
      await this.output.stop(this.state.exitedForGood);
      await this.eventChain;
      await this.signals.stop();
      this.add({ type: 'scenario-end' });
      this.closed = true;
      await engine.removeContainer(this.containerId);
    } else {
      this.add({ type: 'scenario-end' });
      this.closed = true;
    }
  }
}
