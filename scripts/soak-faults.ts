// The faults of the soak, placed while runs are live: every few finished runs, the next time a run's
// container starts, after a random delay, one of: kill -9 of the lab server (a new one is started on
// the same database), kill -9 of the engine's dockerd (started again after a random outage), dockerd
// stopped and started as an operator would, or a run's container killed from outside with
// `docker kill`. One fault at a time: each is over (server listening, engine answering) before the
// next, so every outage has a clear start and end to hold the runs' outcomes against.
import { setTimeout as delay } from 'node:timers/promises';
import { RUN_LABEL } from '../lib/sandbox/labels';
import type { SoakCase } from './soak-cases';
import type { FaultKind, FaultRecord, SoakJournal } from './soak-journal';
import type { SoakLearner } from './soak-learner';
import type { SoakLab } from './soak-lab';
import type { Random } from './soak-options';

/** How often each injected kind is picked (client disconnects come from the learners themselves). */
const WEIGHTS = { 'container-kill': 4, 'server-kill': 2, 'engine-crash': 2, 'engine-restart': 1 };

/** Finished runs between two faults: about one fault every 7 runs. */
const GAP = { min: 4, max: 10 };

export class FaultInjector {
  constructor(
    private readonly lab: SoakLab,
    private readonly journal: SoakJournal,
    private readonly random: Random,
    /** A learner of its own whose runs time each recovery (and prove the lab judges again). */
    private readonly probe: SoakLearner,
    private readonly probeCase: SoakCase,
  ) {}

  /** Injects faults until `done` aborts; resolves once the fault under way (if any) is over. */
  async loop(done: AbortSignal): Promise<void> {
    let threshold = this.random.int(GAP.min, GAP.max);
    while (!done.aborted) {
      if (!(await this.until(() => this.journal.ended >= threshold, 'run-end', done))) return;
      const runId = await this.nextContainerStart(done);
      if (!runId) return;
      // Somewhere in the run: its container has just started and lives a second or a few (a kill aimed
      // at it comes sooner, to find it still running), other runs are building or between scenarios.
      const kind = this.random.weighted(WEIGHTS);
      await delay(kind === 'container-kill' ? this.random.int(0, 1000) : this.random.int(0, 2500));
      if (done.aborted) return;
      await this.inject(kind, runId);
      threshold = this.journal.ended + this.random.int(GAP.min, GAP.max);
    }
  }

  /** Resolves true once `holds()` after one of the journal's `event`s, false if `done` aborts first. */
  private until(holds: () => boolean, event: 'run-end', done: AbortSignal): Promise<boolean> {
    if (holds()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!holds()) return;
        finish(true);
      };
      const finish = (value: boolean) => {
        this.journal.off(event, check);
        done.removeEventListener('abort', abort);
        resolve(value);
      };
      const abort = () => finish(false);
      this.journal.on(event, check);
      done.addEventListener('abort', abort, { once: true });
    });
  }

  /** The run whose container starts next; undefined if `done` aborts first. */
  private nextContainerStart(done: AbortSignal): Promise<string | undefined> {
    if (done.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const started = (runId: string) => finish(runId);
      const abort = () => finish(undefined);
      const finish = (runId: string | undefined) => {
        this.journal.off('container-start', started);
        done.removeEventListener('abort', abort);
        resolve(runId);
      };
      this.journal.once('container-start', started);
      done.addEventListener('abort', abort, { once: true });
    });
  }

  private async inject(kind: FaultKind, runId: string): Promise<void> {
    const inFlight = this.journal.live.size;
    if (kind === 'container-kill') return this.killContainers(runId);
    if (kind === 'server-kill') {
      const { killedAt, upAt, rebuilt } = await this.lab.killServer();
      return this.outage({
        kind,
        at: killedAt,
        until: upAt,
        rebuilt,
        detail: `kill -9 of the server with ${inFlight} run(s) live; a new one listened ${secs(upAt - killedAt)} later${rebuilt ? ' (it rebuilt the web app first)' : ''}`,
      });
    }
    if (kind === 'engine-crash') {
      const downMs = this.random.int(500, 5000);
      const { at, upAt } = await this.lab.crashEngine(downMs);
      return this.outage({
        kind,
        at,
        until: upAt,
        detail: `kill -9 of dockerd with ${inFlight} run(s) live, started again after ${downMs} ms, answering ${secs(upAt - at)} after the kill`,
      });
    }
    const { at, upAt } = await this.lab.restartEngine();
    return this.outage({
      kind,
      at,
      until: upAt,
      detail: `dockerd stopped (SIGTERM) with ${inFlight} run(s) live and started again, answering ${secs(upAt - at)} later`,
    });
  }

  /**
   * Records an outage of the server or the engine, then times the recovery: the probe presses Run at
   * once and again after each run that was not judged (the lab may not know yet that its engine is back:
   * it asks every 5 s), until one passes. The time counts from the fault, as a learner lives it.
   */
  private async outage(fault: FaultRecord): Promise<void> {
    this.journal.fault(fault);
    for (let tries = 1; tries <= 30; tries++) {
      const run = await this.probe.run(this.probeCase, 'probe');
      if (run?.streamStatus === 'pass') {
        this.journal.recoveries.push({ kind: fault.kind, ms: run.acceptedAt - fault.at, rebuilt: fault.rebuilt });
        return;
      }
      if (run?.streamStatus === 'fail')
        this.journal.finding(
          `probe run ${run.runId} after ${fault.kind} (pid1 solution) failed: ${run.failedChecks.join(' | ')}`,
        );
    }
    this.journal.finding(`after ${fault.kind}: no probe run passed in 30 tries`);
  }

  /** `docker kill` of the run's running containers, found by their label as an operator would. */
  private async killContainers(runId: string): Promise<void> {
    const at = Date.now();
    const docker = this.lab.engine.docker;
    const containers = await docker.listContainers({
      filters: { label: [`${RUN_LABEL}=${runId}`], status: ['running'] },
    });
    const killed: string[] = [];
    for (const info of containers) {
      // It may have exited meanwhile: then this kill missed, as it would for an operator.
      await docker
        .getContainer(info.Id)
        .kill()
        .then(
          () => killed.push(info.Id.slice(0, 12)),
          () => undefined,
        );
    }
    this.journal.fault({
      kind: 'container-kill',
      at,
      until: Date.now(),
      runId,
      detail: killed.length
        ? `docker kill ${killed.join(' ')} of ${runId}`
        : `${runId} had no running container to kill`,
    });
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
