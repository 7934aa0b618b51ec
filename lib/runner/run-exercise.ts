// One run of an exercise: check the learner's files, build their image, run each scenario, judge the
// recorded timeline. The learner's mistakes become results; only platform faults become `error`.
// Everything the run created is removed before it returns.
import { randomBytes } from 'node:crypto';
import { overallStatus, type CheckResult, type CheckStatus } from '../checks/check-result';
import { evaluateChecks } from '../checks/evaluate';
import type { BuildExercise } from '../lessons/curriculum';
import { log } from '../log';
import { Timeline } from '../observe/timeline';
import { isArchive } from '../sandbox/archive-magic';
import { checkDockerfile, parseDockerfile } from '../sandbox/dockerfile-rules';
import { LearnerBuildOutput } from './learner-build-output';
import { OutputBudget } from '../observe/output-budget';
import { recogniseMistakes, type RecognisedMistake } from '../checks/mistakes';
import type { Engine } from '../sandbox/engine';
import type { RunLabels } from '../sandbox/labels';
import { checkLearnerFiles, type LearnerFile, type Rejection } from '../sandbox/learner-files';
import { BUILD_LIMITS, runLimitsFor, type RunLimits } from '../sandbox/limits';
import { buildKey, claimBuild, type ReusableBuild } from './image-reuse';
import { RunEvents } from './run-events';
import { standaloneRunSlots } from '../capacity/run-capacity';
import { SlotCancelledError, type RunSlots, type SlotTicket } from '../capacity/run-slots';
import { ENGINE_LOST_MESSAGE, EngineLostError, isEngineConnectionError } from '../sandbox/engine-lost';
import { EngineLoss } from './engine-loss';
import { ScenarioRun } from './scenario-runner';

/** What a run needs. */
export interface RunRequest {
  engine: Engine;
  exercise: BuildExercise;
  /** The complete set of files to build (starter files already merged in). */
  files: LearnerFile[];
  /** Problems found while reading the files (a link, an unreadable file): refused like any bad input. */
  extraProblems?: Rejection[];
  /** Who started it: a learner id, or the tool's name. */
  owner: string;
  runId?: string;
  /** Tighter limits than the exercise's (tests use short deadlines). */
  limitOverrides?: Partial<RunLimits>;
  /** Admission control shared with other runs; without it (and without a ticket), the standalone pool. */
  slots?: RunSlots;
  /** The run's claim on a slot when the caller made it already (to refuse at once when the queue is full). */
  ticket?: SlotTicket;
  /** Pass one to follow the run live. */
  timeline?: Timeline;
  signal?: AbortSignal;
}

/** What a run found. */
export interface RunOutcome {
  runId: string;
  exerciseId: string;
  status: CheckStatus;
  checks: CheckResult[];
  /** The exercise's known mistakes the result looks like, the most specific first. */
  mistakes: RecognisedMistake[];
  timeline: Timeline;
  durationMs: number;
  /** The run lost its engine (status `error`): its attempt is recorded as interrupted. */
  engineLost?: true;
}

/** A fresh run id: short, lower-case, valid in image tags and cgroup names. */
export function newRunId(): string {
  return `r${randomBytes(6).toString('hex')}`;
}

/** Runs an exercise end to end. Never throws for a learner's mistake; a platform fault is an `error` outcome. */
export async function runExercise(request: RunRequest): Promise<RunOutcome> {
  const { engine, exercise, files } = request;
  const runId = request.runId ?? newRunId();
  const timeline = request.timeline ?? new Timeline();
  const limits: RunLimits = { ...runLimitsFor(exercise.spec.limits), ...request.limitOverrides };
  const labels: RunLabels = {
    runId,
    owner: request.owner.replace(/[^A-Za-z0-9_.:@-]/g, '_').slice(0, 64),
    expiresAt:
      Date.now() + BUILD_LIMITS.deadlineMs + exercise.spec.scenarios.length * limits.scenarioDeadlineMs + 60_000,
  };
  timeline.add({ type: 'run-start', exerciseId: exercise.id, runId });
  log.info('Starting run', { run: runId, exercise: exercise.id, owner: labels.owner });
  let image: string | null = null;
  let release: (() => void) | null = null;
  const engineLoss = new EngineLoss(request.signal);
  try {
    const ticket = request.ticket ?? (request.slots ?? standaloneRunSlots()).enqueue(labels.owner, request.signal);
    ticket.onQueued((place) => timeline.add({ type: 'queued', ...place }));
    release = await ticket.granted;
    const problems = [...(request.extraProblems ?? []), ...checkLearnerFiles(files)];
    const dockerfile = files.find((file) => file.name === 'Dockerfile');
    if (problems.length === 0 && dockerfile) {
      // The lab images are listed a minute at a time: a Dockerfile refused on them is checked again on a fresh list.
      let refused = checkDockerfile(dockerfile.content, await engine.labImages());
      if (refused.length) refused = checkDockerfile(dockerfile.content, await engine.labImages(true));
      problems.push(...refused, ...archiveProblems(dockerfile.content, files));
    }
    for (const problem of problems) timeline.add({ type: 'rejected', ...problem });
    if (problems.length === 0) {
      // The event stream opens while the image builds: one round trip less before the first container.
      const events = new RunEvents();
      const opened = events.open(engine, runId, (detail) => engineLoss.lose(detail));
      opened.catch(() => undefined);
      try {
        image = await build(request, runId, labels, timeline);
        if (image) {
          await opened;
          await runScenarios({ ...request, signal: engineLoss.signal }, runId, labels, image, timeline, limits, events);
        }
        if (engineLoss.happened) throw new EngineLostError(engineLoss.detail!);
      } finally {
        events.close();
      }
    }
  } catch (error) {
    // Stopped while it waited for a slot: nothing went wrong, and nothing could be checked.
    const lost = !(error instanceof SlotCancelledError) && engineLoss.explains(error);
    if (error instanceof SlotCancelledError) log.info('Run cancelled while queued', { run: runId });
    else if (lost) log.warn('Run lost its Docker engine', { run: runId, detail: engineLoss.detail });
    else
      log.error('Run failed on a platform fault', {
        run: runId,
        error: error instanceof Error ? error.stack : String(error),
      });
    const message = lost ? ENGINE_LOST_MESSAGE : error instanceof Error ? error.message : String(error);
    timeline.add({ type: 'platform-error', message, ...(lost ? { forLearner: true as const } : {}) });
  } finally {
    // The image stays, for the next run of the same files: the build cache's trim removes it in time.
    if (image) engine.releaseImage(image);
    release?.();
  }
  const events = timeline.events();
  const checks = evaluateChecks(exercise.spec.checks, events, exercise.spec.mistakes);
  const platformError = events.some((event) => event.type === 'platform-error' && !event.scenario);
  const status: CheckStatus = platformError ? 'error' : overallStatus(checks);
  timeline.add({ type: 'run-end', status });
  timeline.close();
  log.info('Finished run', { run: runId, exercise: exercise.id, status, ms: timeline.now() });
  const mistakes = status === 'fail' ? recogniseMistakes(exercise.spec.mistakes, checks) : [];
  const durationMs = timeline.now();
  return {
    ...{ runId, exerciseId: exercise.id, status, checks, mistakes, timeline, durationMs },
    ...(engineLoss.happened ? { engineLost: true as const } : {}),
  };
}

/**
 * ADD unpacks an archive inside the engine, outside every limit of the build: with ADD in the
 * Dockerfile, no file may be an archive.
 */
function archiveProblems(dockerfile: string, files: LearnerFile[]): Rejection[] {
  const adds = parseDockerfile(dockerfile).instructions.find(
    (instruction) =>
      instruction.keyword === 'ADD' || (instruction.keyword === 'ONBUILD' && /^ADD\s/i.test(instruction.args)),
  );
  if (!adds) return [];
  const archive = files.find((file) => isArchive(Buffer.from(file.content, 'utf8')));
  if (!archive) return [];
  return [
    {
      file: 'Dockerfile',
      line: adds.line,
      message: `ADD would unpack ${archive.name} (an archive) inside the Docker engine, which the lab does not allow: COPY it and unpack it in a RUN step`,
    },
  ];
}

/** The lab's LABEL step in a Run's image: the same for every run, so that it is cached with the rest. */
const RUN_IMAGE_LABELS = { 'lab.kind': 'run' };

/** The most build output a run's timeline keeps. */
const BUILD_OUTPUT_BYTES = 256 * 1024;

async function build(
  request: RunRequest,
  runId: string,
  labels: RunLabels,
  timeline: Timeline,
): Promise<string | null> {
  const started = Date.now();
  timeline.add({ type: 'build-start' });
  const key = await buildKey(request.engine, request.files, JSON.stringify(RUN_IMAGE_LABELS));
  const claim = key ? await claimBuild(request.engine, key) : null;
  if (claim && 'reused' in claim) {
    const { reused } = claim;
    for (const text of reused.output) timeline.add({ type: 'build-output', text });
    const at = new Date(reused.builtAt).toISOString().slice(11, 19);
    timeline.add({ type: 'build-output', text: `(the same files as a build at ${at} UTC: its image is used again)` });
    timeline.add({
      type: 'build-end',
      ok: true,
      imageId: reused.imageId,
      reused: true,
      durationMs: Date.now() - started,
    });
    log.info('Reused image', { run: runId, image: reused.imageId });
    return reused.imageId;
  }
  let made: { imageId: string; reusable: ReusableBuild | null } | null = null;
  try {
    made = await buildFor(request, runId, labels, timeline, started);
  } finally {
    if (claim && 'finish' in claim) claim.finish(made?.reusable ?? null);
  }
  return made?.imageId ?? null;
}

/** Builds the run's image, shown to the learner as it goes: its id, and whether a later run may reuse it. */
async function buildFor(request: RunRequest, runId: string, labels: RunLabels, timeline: Timeline, started: number) {
  // The build log the timeline keeps is bounded like a container's output: a RUN that prints without
  // end must not grow the lab's memory (the engine keeps nothing of it either).
  const budget = new OutputBudget(BUILD_OUTPUT_BYTES);
  const shown: string[] = [];
  let complete = true;
  // The learner reads their own steps only: the lab's LABEL step is left out (learner-build-output.ts).
  const output = new LearnerBuildOutput((text) => {
    const verdict = budget.take(text);
    if (verdict === 'keep') {
      timeline.add({ type: 'build-output', text });
      shown.push(text);
    } else if (verdict === 'truncate') {
      complete = false;
      timeline.add({
        type: 'build-output',
        text: `(the build printed more than ${BUILD_OUTPUT_BYTES / 1024} KiB: the rest is not kept)`,
      });
    }
  });
  const result = await request.engine.build(
    {
      labels,
      // The same files make the same image, shared by their runs: the run is named on its containers.
      stepLabels: RUN_IMAGE_LABELS,
      hold: true,
      files: request.files,
      onOutput: (text) => output.line(text),
      signal: request.signal,
    },
    BUILD_LIMITS.deadlineMs,
  );
  const dockerfile = request.files.find((file) => file.name === 'Dockerfile')?.content ?? '';
  const line = result.failedStep ? parseDockerfile(dockerfile).instructions[result.failedStep - 1]?.line : undefined;
  if (result.timedOut) timeline.add({ type: 'deadline', what: 'build', limitMs: BUILD_LIMITS.deadlineMs });
  timeline.add({
    type: 'build-end',
    ok: result.ok,
    imageId: result.imageId,
    error: result.error,
    file: line ? 'Dockerfile' : undefined,
    line,
    durationMs: Date.now() - started,
  });
  log.info(result.ok ? 'Built image' : 'Build failed', { run: runId, image: result.imageId, error: result.error });
  if (!result.ok || !result.imageId) return null;
  // Only a build whose whole output was kept is reused: what a later run shows is all of it.
  const reusable = complete ? { imageId: result.imageId, output: shown, builtAt: started } : null;
  return { imageId: result.imageId, reusable };
}

async function runScenarios(
  request: RunRequest,
  runId: string,
  labels: RunLabels,
  image: string,
  timeline: Timeline,
  limits: RunLimits,
  events: RunEvents,
): Promise<void> {
  for (const scenario of request.exercise.spec.scenarios) {
    if (request.signal?.aborted) break;
    try {
      // Files are read back only where a check judges them by what they hold.
      const readFiles = request.exercise.spec.checks.some(
        (check) =>
          check.scenario === scenario.id &&
          (check.assert.type === 'no-pid-file' || check.assert.type === 'no-log-file'),
      );
      await new ScenarioRun(
        { engine: request.engine, timeline, events, labels, image, limits, signal: request.signal, readFiles },
        scenario,
      ).run();
    } catch (error) {
      // Without its engine, the next scenarios could not run either: the run reports the loss.
      if (isEngineConnectionError(error)) throw error;
      log.error('Scenario failed on a platform fault', {
        run: runId,
        scenario: scenario.id,
        error: error instanceof Error ? error.stack : String(error),
      });
      timeline.add({
        type: 'platform-error',
        scenario: scenario.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
