// Stages an incident for a learner: builds the incident's image, starts it as the learner's `my-api`
// container (their own in the terminal, reapable like everything the terminal makes), watches it
// until it has exited for good, and returns the truth the lab observed. The exited container stays
// for the learner to investigate; `remove()` takes it and its image away.
import { log } from '../log';
import {
  scopeOf,
  engineContainerName,
  engineImageRef,
  terminalLabels,
  ORIGIN_LABEL,
  STAGED_LABEL,
  type Scope,
} from '../proxy/scope';
import { RunEvents } from '../runner/run-events';
import { standaloneRunSlots } from '../capacity/run-capacity';
import type { RunSlots } from '../capacity/run-slots';
import type { Engine, Stoppable } from '../sandbox/engine';
import { EXPIRES_LABEL, type RunLabels } from '../sandbox/labels';
import { runLimitsFor } from '../sandbox/limits';
import { watchUntilExit } from './exit-watch';
import type { IncidentPlan } from './incident-plan';
import { discrepancies, observedPid1, truthOf, type ContainerObservation, type IncidentTruth } from './incident-truth';
import { operatorAction } from './operator-action';

/** How long building the incident's image may take (a few cached steps, normally well under a second). */
const BUILD_DEADLINE_MS = 60_000;
/** How long the incident's container may run: every app fails within a few seconds of starting. */
const EXIT_DEADLINE_MS = 20_000;
/** How many times an incident that did not happen as designed is staged before it counts as a platform fault. */
const STAGING_ATTEMPTS = 2;

/** What staging an incident needs. */
export interface IncidentRequest {
  engine: Engine;
  plan: IncidentPlan;
  /** The learner (or tool) it is staged for. */
  owner: string;
  /** The name the learner knows the container by. */
  containerName?: string;
  /** How long the container may run before the incident counts as failed (tests shorten it). */
  exitDeadlineMs?: number;
  slots?: RunSlots;
  signal?: AbortSignal;
}

/** A staged incident: its exited container, its image and the truth observed. */
export interface Incident {
  truth: IncidentTruth;
  containerId: string;
  /** The name the learner uses (`my-api`), and the container's name on the engine. */
  containerName: string;
  engineName: string;
  /** The image as the learner sees it (`my-api:1.4.0`). */
  image: string;
  /** Removes the container and its image (not a later incident's, even under the same names). */
  remove(): Promise<void>;
}

/** The incident did not happen as designed, or the engine failed while staging it: a platform fault. */
export class IncidentError extends Error {}

/**
 * The labels of what an incident creates: those of the learner's terminal, so it is theirs and
 * reapable, and the staged mark, so the page's panels do not show it.
 */
export function incidentLabels(scope: Scope, now = Date.now()): RunLabels {
  const terminal = terminalLabels(scope, now);
  return {
    runId: scope.runId,
    owner: scope.owner,
    expiresAt: Number(terminal[EXPIRES_LABEL]),
    extra: { [ORIGIN_LABEL]: terminal[ORIGIN_LABEL], [STAGED_LABEL]: '1' },
  };
}

/**
 * Starts the container; when Docker refuses (its command cannot be run), what Docker recorded of the
 * refusal instead: the exit code it set, State.Error, and the command it tried. A start that failed
 * without such a record is a fault of the engine, and is thrown.
 */
async function startOrRefused(engine: Engine, containerId: string): Promise<ContainerObservation | null> {
  try {
    await engine.start(containerId);
    return null;
  } catch (error) {
    const state = await engine.inspect(containerId);
    if (state.running || state.error === undefined) throw error;
    return {
      otherCommands: [],
      startedCommand: state.command,
      exitCode: state.exitCode,
      oomKilled: state.oomKilled,
      startError: state.error,
      signals: [],
    };
  }
}

/** Stages the planned incident and resolves with what was observed; throws IncidentError for a platform fault. */
export async function stageIncident(request: IncidentRequest): Promise<Incident> {
  const { engine, plan } = request;
  const scope = scopeOf(request.owner);
  const containerName = request.containerName ?? 'my-api';
  const engineName = engineContainerName(scope, containerName);
  const image = `${containerName}:${plan.version}`;
  const tag = engineImageRef(scope, image);
  const labels = incidentLabels(scope);
  const context = { owner: scope.owner, seed: plan.seed, cause: plan.cause, container: engineName };
  let containerId = '';
  let imageId = '';
  const remove = async () => {
    if (containerId) await engine.removeContainer(containerId);
    if (imageId) await engine.removeImage(imageId);
  };

  log.info('Starting incident', context);
  // A new incident replaces the learner's previous one: container names are unique on the engine.
  await engine.removeContainer(engineName);
  // Staging builds and runs like a run, so it waits its turn among the learners (and is refused when the queue is full).
  const release = await (request.slots ?? standaloneRunSlots()).acquire(scope.owner, request.signal);
  const events = new RunEvents();
  let operator: Stoppable | null = null;
  try {
    const built = await engine.build({ labels, tag, files: plan.files, onOutput: () => undefined }, BUILD_DEADLINE_MS);
    if (!built.ok || !built.imageId)
      throw new IncidentError(`the incident's image did not build: ${built.error ?? 'no image'}`);
    imageId = built.imageId;
    await events.open(engine, labels.runId);
    for (let attempt = 1; ; attempt++) {
      containerId = await engine.create({
        labels,
        image: tag,
        name: engineName,
        settings: { env: plan.env, restart: { policy: 'no' }, init: false },
        limits: runLimitsFor({ memoryMb: plan.memoryMb }),
      });
      const refused = await startOrRefused(engine, containerId);
      // Someone runs `docker kill` or `docker stop` on the healthy server: the lab plays that part.
      if (!refused)
        operator = await operatorAction(engine, containerId, plan, (what, error) =>
          log.warn(`Failed to ${what} incident container`, { ...context, error: String(error) }),
        );
      const observed =
        refused ??
        (await watchUntilExit({
          engine,
          events,
          containerId,
          deadlineMs: request.exitDeadlineMs ?? EXIT_DEADLINE_MS,
          signal: request.signal,
        }).catch((error: Error) => {
          throw new IncidentError(`the incident's container was not observed to its end: ${error.message}`);
        }));
      const problems = discrepancies(plan, observed);
      const pid1Command = observedPid1(observed);
      if (pid1Command === undefined) problems.push('PID 1 was never sampled');
      if (!problems.length && pid1Command !== undefined) {
        log.info('Incident ready', { ...context, exitCode: observed.exitCode, oomKilled: observed.oomKilled, attempt });
        return {
          truth: truthOf(plan, observed, pid1Command),
          containerId,
          containerName,
          engineName,
          image,
          remove,
        };
      }
      // Under load the engine has been seen to record a memory kill without its OOMKilled flag, and
      // an app can die before its first sample: such an incident is staged once more before it counts
      // as a platform fault (one that misbehaves by design misbehaves both times).
      if (attempt >= STAGING_ATTEMPTS)
        throw new IncidentError(
          `incident ${plan.seed} (${plan.cause}) did not happen as designed: ${problems.join('; ')}`,
        );
      log.warn('Incident did not happen as designed, staging it again', {
        ...context,
        problems: problems.join('; '),
        attempt,
      });
      operator?.stop();
      operator = null;
      await engine.removeContainer(containerId);
      containerId = '';
    }
  } catch (error) {
    log.error('Failed to stage incident', {
      ...context,
      error: error instanceof Error ? error.message : String(error),
    });
    await remove().catch((removeError) =>
      log.warn('Failed to remove incident', { ...context, error: String(removeError) }),
    );
    throw error instanceof IncidentError
      ? error
      : new IncidentError(error instanceof Error ? error.message : String(error));
  } finally {
    operator?.stop();
    events.close();
    release();
  }
}
