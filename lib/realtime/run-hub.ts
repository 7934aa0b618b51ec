// The runs this server is doing or has just done, by id, each owned by one learner. Pages follow a
// run's timeline through the hub; a page that reconnects replays from the last event it saw.
import { attemptSummary } from '../db/attempt-summary';
import { recordAttemptEnd, recordAttemptStart } from '../db/learner-store';
import { HttpError, RetryLaterError } from '../http/http-error';
import type { LearnerIncidents } from '../incidents/learner-incidents';
import type { Exercise } from '../lessons/curriculum';
import type { PredictionPicks } from '../lessons/prediction-schema';
import { finishedPredictions, startedPredictions } from './run-predictions';
import type { PredictionOutcome } from '../checks/predictions';
import type { ActivityBus } from './activity';
import { log } from '../log';
import { Timeline } from '../observe/timeline';
import { checkDiagnosis } from '../runner/check-diagnosis';
import type { RunSlots, SlotTicket } from '../capacity/run-slots';
import { newRunId, runExercise, type RunOutcome } from '../runner/run-exercise';
import type { Engine } from '../sandbox/engine';
import { ENGINE_AWAY_MESSAGE } from '../sandbox/engine-lost';
import type { LearnerFile } from '../sandbox/learner-files';

/** A run as the hub keeps it. */
export interface HubRun {
  runId: string;
  learnerId: string;
  exerciseId: string;
  timeline: Timeline;
  startedAt: number;
  /** Resolves when the run has finished and been judged. */
  done: Promise<RunOutcome>;
  outcome?: RunOutcome;
  /** The learner's predictions, judged against the run once it finished. */
  predictions?: PredictionOutcome[];
  abort: AbortController;
}

/** How long a finished run stays available to pages that reconnect. */
const KEEP_FINISHED_MS = 30 * 60_000;

/** Starts runs and keeps them for their learners. */
export class RunHub {
  private readonly runs = new Map<string, HubRun>();
  /** Learners whose run is being recorded, not yet in `runs`: a second request meanwhile is refused too. */
  private readonly starting = new Set<string>();

  constructor(
    private readonly deps: {
      engine: Engine;
      slots: RunSlots;
      incidents: LearnerIncidents;
      activity: ActivityBus;
      /** This cell's id when the lab runs as several (its attempts carry it). */
      cell?: string;
      /** Whether the engine answered its last ping (the engine watch): a run is not accepted while it is away. */
      engineUp?: () => boolean;
    },
  ) {}

  /** The learner's run in progress, if any. */
  activeFor(learnerId: string): HubRun | undefined {
    return [...this.runs.values()].find((run) => run.learnerId === learnerId && !run.outcome);
  }

  /** The run, if it exists and belongs to this learner (others' runs do not exist for them). */
  get(runId: string, learnerId: string): HubRun | undefined {
    const run = this.runs.get(runId);
    return run && run.learnerId === learnerId ? run : undefined;
  }

  /** This learner's runs of an exercise that the hub still holds, newest first. */
  listFor(learnerId: string, exerciseId: string): { runId: string; startedAt: number; status: string }[] {
    return [...this.runs.values()]
      .filter((run) => run.learnerId === learnerId && run.exerciseId === exerciseId)
      .sort((a, b) => b.startedAt - a.startedAt)
      .map((run) => ({ runId: run.runId, startedAt: run.startedAt, status: run.outcome?.status ?? 'running' }));
  }

  /** Throws what a run of this learner would meet if started now: 409 while one of theirs is in progress, 503 when the queue is full. */
  private assertCanStart(learnerId: string, exercise: Exercise): void {
    const active = this.activeFor(learnerId);
    if (active || this.starting.has(learnerId)) {
      throw new HttpError(409, 'a run is already in progress: stop it or wait for it to finish', {
        runId: active?.runId,
      });
    }
    // A diagnosis is checked against a recorded truth: it needs neither the engine nor a slot.
    if (exercise.kind !== 'build') return;
    if (this.deps.engineUp && !this.deps.engineUp()) throw new RetryLaterError(503, ENGINE_AWAY_MESSAGE, 5_000);
    this.deps.slots.assertRoom();
  }

  /**
   * Starts a run of the exercise (found and validated by the caller) with the learner's files, already
   * merged with the starter. The learner is admitted here, once: a run in progress (409), the engine
   * away or a full queue (503) first, then `admit` (their rate limit: a refused run is not counted against it), then
   * the run's place is claimed. The attempt is recorded before this resolves, so a run the learner was
   * told about is never lost.
   */
  async start(
    learnerId: string,
    exercise: Exercise,
    files: LearnerFile[],
    admit: () => Promise<void> = async () => {},
    picks: PredictionPicks = {},
  ): Promise<HubRun> {
    const exerciseId = exercise.id;
    this.assertCanStart(learnerId, exercise);
    // Held from here: a second run of the learner's while their limit is asked (the cells of a lab share
    // it through PostgreSQL) is refused as a run in progress.
    this.starting.add(learnerId);
    const runId = newRunId();
    const abort = new AbortController();
    let ticket: SlotTicket | undefined;
    try {
      await admit();
      this.collect();
      // The run's place in the queue is claimed here, with nothing awaited since the limit: a queue that
      // filled meanwhile refuses it (503) after all, counted against the limit (rare). The run waits on this ticket.
      ticket = exercise.kind === 'build' ? this.deps.slots.enqueue(learnerId, abort.signal) : undefined;
    } catch (error) {
      this.starting.delete(learnerId);
      throw error;
    }
    const incident = await (async () => {
      // A diagnosis is checked against the truth recorded for the learner's current incident.
      const current =
        exercise.kind === 'diagnosis' ? await this.deps.incidents.truthForCheck(learnerId, exercise) : undefined;
      await recordAttemptStart({
        id: runId,
        learnerId,
        exerciseId,
        files,
        incidentId: current?.incidentId,
        predictions: startedPredictions(exercise, picks),
        cell: this.deps.cell,
      });
      return current;
    })().catch((error: unknown) => {
      ticket?.cancel();
      this.starting.delete(learnerId);
      throw error;
    });
    this.deps.activity.emit({ learnerId, kind: 'run-start', exerciseId });
    const timeline = new Timeline();
    const run: HubRun = {
      runId,
      learnerId,
      exerciseId,
      timeline,
      startedAt: Date.now(),
      abort,
      done:
        exercise.kind === 'build'
          ? runExercise({
              engine: this.deps.engine,
              exercise,
              files,
              owner: learnerId,
              runId,
              timeline,
              signal: abort.signal,
              ticket,
            })
          : checkDiagnosis({ exercise, files, truth: incident!.truth, runId, timeline }),
    };
    run.done
      .then(async (outcome) => {
        // Set before anything is awaited: a page waiting on `done` reads them next.
        run.predictions = finishedPredictions(exercise, picks, outcome.timeline.events(), incident?.truth);
        run.outcome = outcome;
        const summary = attemptSummary({ durationMs: outcome.durationMs, events: outcome.timeline.events() });
        await recordAttemptEnd({
          id: runId,
          learnerId,
          exerciseId,
          status: 'engineLost' in outcome && outcome.engineLost ? 'interrupted' : outcome.status,
          checks: outcome.checks,
          summary,
          predictions: run.predictions,
        });
        this.deps.activity.emit({ learnerId, kind: 'run-end', exerciseId });
      })
      .catch((error) =>
        log.error('Run crashed or was not recorded', {
          run: runId,
          learner: learnerId,
          error: error instanceof Error ? error.stack : String(error),
        }),
      );
    this.runs.set(runId, run);
    this.starting.delete(learnerId);
    return run;
  }

  /** Stops every run in progress (shutdown) and waits for them to clean up. */
  async stopAll(): Promise<void> {
    await this.stop([...this.runs.values()]);
  }

  /** Stops the learner's runs in progress (their workshop ended, or their sandbox was reset) and waits for their cleanup. */
  async stopFor(learnerId: string): Promise<number> {
    return this.stop([...this.runs.values()].filter((run) => run.learnerId === learnerId));
  }

  private async stop(runs: HubRun[]): Promise<number> {
    const active = runs.filter((run) => !run.outcome);
    for (const run of active) run.abort.abort();
    await Promise.allSettled(active.map((run) => run.done));
    return active.length;
  }

  private collect() {
    const now = Date.now();
    for (const [id, run] of this.runs) {
      if (run.outcome && now - run.startedAt > KEEP_FINISHED_MS) this.runs.delete(id);
    }
  }
}
