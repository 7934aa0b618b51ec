// The incidents of the learners this server serves. A learner has one incident at a time: opening a
// diagnosis exercise stages one (or finds the current one still there), "New incident" replaces it.
// Each is recorded as starting, then with the truth the lab observed, before the learner is told it
// is ready; a check of their answer reads that record, never the plan.
import { randomBytes, randomInt } from 'node:crypto';
import { ANSWER_FILE, answerFor } from '../checks/diagnosis-answer';
import {
  latestIncident,
  recordIncidentError,
  recordIncidentStart,
  recordIncidentTruth,
  type IncidentRecord,
  type IncidentStatus,
} from '../db/incident-store';
import { HttpError } from '../http/http-error';
import type { DiagnosisExercise } from '../lessons/curriculum';
import { log } from '../log';
import type { RunSlots } from '../capacity/run-slots';
import type { Engine } from '../sandbox/engine';
import type { LearnerFile } from '../sandbox/learner-files';
import { planIncident } from './incident-plan';
import type { IncidentTruth } from './incident-truth';
import { stageIncident, type Incident } from './stage-incident';

/** Seeds of learners' incidents are drawn below this: short enough to read out loud. */
const SEED_RANGE = 1_000_000;

/** What a page may know of an incident: where it stands, never its truth. */
export interface IncidentView {
  id: string;
  status: IncidentStatus;
  /** The container to investigate, by the name the learner uses. */
  container: string;
  /** Its image, as the learner sees it (`my-api:1.4.0`). */
  image: string;
  createdAt: string;
}

function viewOf(record: IncidentRecord, exercise: DiagnosisExercise): IncidentView {
  const { container } = exercise.spec.incident;
  return {
    id: record.id,
    status: record.status,
    container,
    image: `${container}:${planIncident(record.seed).version}`,
    createdAt: record.createdAt.toISOString(),
  };
}

/** Stages, finds and replaces learners' incidents. */
export class LearnerIncidents {
  /** Incidents being staged, by learner: a second request waits for the first. */
  private readonly staging = new Map<string, Promise<IncidentView>>();
  /** Incidents this process staged, by learner: replaced ones are removed at once (the reaper takes the rest). */
  private readonly staged = new Map<string, Incident>();
  private readonly shutdown = new AbortController();

  constructor(
    readonly engine: Engine,
    private readonly slots?: RunSlots,
  ) {}

  /** The learner's latest incident of the exercise, or null. */
  async current(learnerId: string, exercise: DiagnosisExercise): Promise<IncidentView | null> {
    const latest = await latestIncident(learnerId, exercise.id);
    return latest ? viewOf(latest, exercise) : null;
  }

  /** The learner's incident: the current one while its container is still there, else a new one. */
  async open(learnerId: string, exercise: DiagnosisExercise): Promise<IncidentView> {
    const inFlight = this.staging.get(learnerId);
    if (inFlight) return inFlight;
    const latest = await latestIncident(learnerId, exercise.id);
    if (latest?.status === 'ready' && latest.containerId && (await this.exists(latest.containerId)))
      return viewOf(latest, exercise);
    return this.startNew(learnerId, exercise);
  }

  /** Stages a new incident for the learner, replacing their previous one. */
  startNew(learnerId: string, exercise: DiagnosisExercise): Promise<IncidentView> {
    const inFlight = this.staging.get(learnerId);
    if (inFlight) return inFlight;
    const staging = this.stage(learnerId, exercise).finally(() => this.staging.delete(learnerId));
    this.staging.set(learnerId, staging);
    return staging;
  }

  /** The truth the learner's answer is checked against; a 409 when there is no ready incident. */
  async truthForCheck(
    learnerId: string,
    exercise: DiagnosisExercise,
  ): Promise<{ incidentId: string; truth: IncidentTruth }> {
    if (this.staging.has(learnerId))
      throw new HttpError(409, 'the incident is still starting: check your answer once it is ready');
    const latest = await latestIncident(learnerId, exercise.id);
    if (!latest) throw new HttpError(409, 'there is no incident to diagnose yet: press New incident');
    if (latest.status !== 'ready' || !latest.truth)
      throw new HttpError(409, 'the last incident could not be staged: press New incident');
    return { incidentId: latest.id, truth: latest.truth };
  }

  /** The right answer to the learner's current incident. */
  async solution(learnerId: string, exercise: DiagnosisExercise): Promise<LearnerFile[]> {
    const { truth } = await this.truthForCheck(learnerId, exercise);
    return [{ name: ANSWER_FILE, content: answerFor(truth) }];
  }

  /**
   * Removes the learner's staged incident, its container and image (their workshop ended, or their
   * sandbox was reset), once any staging in progress is done. The record stays: an answer can still be
   * checked against it, and opening the exercise again stages a new one.
   */
  async removeFor(learnerId: string): Promise<void> {
    await this.staging.get(learnerId)?.catch(() => undefined);
    const incident = this.staged.get(learnerId);
    this.staged.delete(learnerId);
    await incident?.remove();
  }

  /** Cancels the incidents being staged (shutdown); what they created is removed. */
  async stopAll(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.staging.values()]);
  }

  private async exists(containerId: string): Promise<boolean> {
    try {
      await this.engine.inspect(containerId);
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  private async stage(learnerId: string, exercise: DiagnosisExercise): Promise<IncidentView> {
    const seed = randomInt(SEED_RANGE);
    const record = { id: `i${randomBytes(6).toString('hex')}`, learnerId, exerciseId: exercise.id, seed };
    await recordIncidentStart(record);
    const previous = this.staged.get(learnerId);
    this.staged.delete(learnerId);
    await previous
      ?.remove()
      .catch((error) => log.warn('Failed to remove a replaced incident', { learner: learnerId, error: String(error) }));
    try {
      const incident = await stageIncident({
        engine: this.engine,
        plan: planIncident(seed),
        owner: learnerId,
        containerName: exercise.spec.incident.container,
        signal: this.shutdown.signal,
        slots: this.slots,
      });
      this.staged.set(learnerId, incident);
      await recordIncidentTruth(record.id, incident.containerId, incident.truth);
    } catch (error) {
      await recordIncidentError(record.id, error instanceof Error ? error.message : String(error));
      throw error;
    }
    return viewOf({ ...record, status: 'ready', createdAt: new Date() }, exercise);
  }
}
