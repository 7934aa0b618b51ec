// Watches what a learner runs from the terminal, as the lab watches a Run: every container the
// learner's docker CLI (or the lab in the learner's name) creates becomes a scenario of one timeline,
// named after the container, with its start, its process tree as it changes, its output, its exit
// (code, signal, OOM) and its restarts. The page follows that timeline like a run's.
import { log } from '../log';
import { ORIGIN_LABEL, STAGED_LABEL, TERMINAL_ORIGIN, scopeOf, stripScope, type Scope } from '../proxy/scope';
import type { ContainerState, Engine, EngineEvent, Stoppable } from '../sandbox/engine';
import { RUN_LIMITS } from '../sandbox/limits';
import { signalFromExitCode, signalName } from './exit-status';
import { containerSampler } from './container-sampler';
import { containerDiskWatch, type DiskWatch } from './disk-watch';
import { OutputBudget } from './output-budget';
import type { ProcessSampler } from './proc-sampler';
import { processChanges } from './process-tree';
import { Timeline } from './timeline';
import type { NewEvent, ProcessInfo } from './timeline-event';

/** How often a running container's processes are read. */
const SAMPLE_INTERVAL_MS = 100;
/** Past this many events the timeline starts again (a long session must not grow without bound). */
const MAX_EVENTS = 20_000;

interface Watched {
  id: string;
  scenario: string;
  running: boolean;
  starts: number;
  sampler?: ProcessSampler;
  timer?: ReturnType<typeof setInterval>;
  sampling: boolean;
  processes: ProcessInfo[];
  logs?: Stoppable;
  lastExitAt: number;
  output: OutputBudget;
  disk: DiskWatch;
}

export class TerminalWatch {
  readonly scope: Scope;
  private current = new Timeline();
  private readonly containers = new Map<string, Watched>();
  /** Containers that are not the learner's to see (the workstation): ignored for good. */
  private readonly ignored = new Set<string>();
  private events?: Stoppable;
  private closed = false;
  private readonly replaced = new Set<() => void>();

  constructor(
    owner: string,
    private readonly engine: Engine,
  ) {
    this.scope = scopeOf(owner);
  }

  /** The timeline being recorded now. */
  get timeline(): Timeline {
    return this.current;
  }

  /** Called when the timeline is replaced by a fresh one (pages then follow the new one). */
  onReplaced(listener: () => void): () => void {
    this.replaced.add(listener);
    return () => this.replaced.delete(listener);
  }

  /** Starts following the engine's events for the learner's terminal containers. */
  async start(): Promise<void> {
    this.events = await this.engine.events(this.scope.runId, (event) => this.onEvent(event));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.events?.stop();
    for (const watched of this.containers.values()) this.stopFollowing(watched);
    this.containers.clear();
    this.current.close();
  }

  private add(event: NewEvent, at?: number) {
    if (this.closed) return;
    if (this.current.length >= MAX_EVENTS) {
      this.current.close();
      this.current = new Timeline();
      for (const listener of this.replaced) listener();
    }
    this.current.add(event, at === undefined ? undefined : Math.max(0, at - this.current.startedAt));
  }

  /** The container's state, or null when it is gone. */
  private inspect(containerId: string): Promise<ContainerState | null> {
    return this.engine.inspect(containerId).catch(() => null);
  }

  /** Engine events are handled one at a time, in the order the engine sent them. */
  private chain: Promise<void> = Promise.resolve();

  private onEvent(event: EngineEvent) {
    if (this.closed || this.ignored.has(event.containerId)) return;
    this.chain = this.chain
      .then(() => this.handle(event))
      .catch((error) => {
        log.error('Failed to follow a terminal container', {
          owner: this.scope.owner,
          container: event.containerId,
          action: event.action,
          error: String(error),
        });
      });
  }

  private async known(containerId: string): Promise<Watched | null> {
    const existing = this.containers.get(containerId);
    if (existing) return existing;
    if (this.ignored.has(containerId)) return null;
    const info = await this.inspect(containerId);
    if (
      !info ||
      info.labels[ORIGIN_LABEL] !== TERMINAL_ORIGIN ||
      info.labels['lab.workstation'] ||
      info.labels[STAGED_LABEL]
    ) {
      this.ignored.add(containerId);
      return null;
    }
    const scenario = stripScope(this.scope, info.name.replace(/^\//, ''));
    const watched: Watched = {
      id: containerId,
      scenario,
      running: false,
      starts: 0,
      sampling: false,
      processes: [],
      lastExitAt: 0,
      output: new OutputBudget(RUN_LIMITS.outputBytes),
      disk: containerDiskWatch(this.engine, containerId, RUN_LIMITS, (event) => this.add({ ...event, scenario })),
    };
    this.containers.set(containerId, watched);
    this.add({
      type: 'scenario-start',
      scenario,
      description: `docker run ${stripScope(this.scope, info.image)} ${info.command.join(' ')}`.trim(),
    });
    this.add({ type: 'container-create', scenario, containerId });
    return watched;
  }

  private async handle(event: EngineEvent): Promise<void> {
    const watched = await this.known(event.containerId);
    if (!watched || this.closed) return;
    const { scenario } = watched;
    if (event.action === 'start') {
      const info = await this.inspect(watched.id);
      if (watched.starts > 0)
        this.add(
          { type: 'container-restart', scenario, restartCount: info?.restartCount ?? watched.starts },
          event.time,
        );
      watched.starts += 1;
      watched.running = true;
      this.add({ type: 'container-start', scenario, hostPid: info?.pid || undefined }, event.time);
      watched.sampler = containerSampler(this.engine, watched.id, info?.pid ?? 0);
      this.followOutput(watched);
      watched.timer ??= setInterval(() => void this.sample(watched), SAMPLE_INTERVAL_MS);
      watched.disk.start();
      await this.sample(watched);
    } else if (event.action === 'kill' && event.signal !== undefined) {
      this.add({ type: 'container-signal', scenario, signal: signalName(event.signal) }, event.time);
    } else if (event.action === 'stop') {
      this.add({ type: 'container-stop', scenario }, event.time);
    } else if (event.action === 'die') {
      const info = await this.inspect(watched.id);
      watched.running = false;
      watched.lastExitAt = event.time;
      this.record(watched, []);
      const exitCode = event.exitCode ?? info?.exitCode ?? -1;
      this.add(
        {
          type: 'container-die',
          scenario,
          exitCode,
          signal: signalFromExitCode(exitCode),
          oomKilled: info?.oomKilled ?? false,
          // Running again by the time it is inspected: Docker restarted it already.
          willRestart: (info?.restarting || info?.running) ?? false,
        },
        event.time,
      );
    } else if (event.action === 'destroy') {
      this.stopFollowing(watched);
      this.containers.delete(watched.id);
      this.add({ type: 'scenario-end', scenario });
    }
  }

  private async sample(watched: Watched) {
    if (!watched.running || !watched.sampler || watched.sampling || this.closed) return;
    watched.sampling = true;
    try {
      const processes = await watched.sampler.sample();
      if (watched.running) this.record(watched, processes);
    } catch {
      /* the container stopped between the event and the sample */
    } finally {
      watched.sampling = false;
    }
  }

  private record(watched: Watched, processes: ProcessInfo[]) {
    const before = watched.processes;
    watched.processes = processes;
    for (const event of processChanges(before, processes)) this.add({ ...event, scenario: watched.scenario });
  }

  private followOutput(watched: Watched) {
    watched.logs?.stop();
    this.engine
      .logs(watched.id, watched.lastExitAt, (line) => {
        if (this.closed) return;
        const verdict = watched.output.take(line.text);
        if (verdict === 'truncate')
          this.add({ type: 'output-truncated', scenario: watched.scenario, limitBytes: watched.output.limitBytes });
        if (verdict !== 'keep') return;
        this.add({ type: 'output', scenario: watched.scenario, stream: line.stream, text: line.text }, line.time);
      })
      .then((stream) => {
        if (this.closed || !this.containers.has(watched.id)) stream.stop();
        else watched.logs = stream;
      })
      .catch(() => undefined);
  }

  private stopFollowing(watched: Watched) {
    if (watched.timer) clearInterval(watched.timer);
    watched.timer = undefined;
    watched.disk.stop();
    watched.running = false;
    watched.logs?.stop();
  }
}
