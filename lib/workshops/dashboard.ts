// The instructor's view of a room, computed from the records: a grid of learners × exercises, the
// failure classes of each exercise (from the ids of the checks that failed), and the learners who look
// stuck. Pure: the rows come in, the dashboard comes out; lib/workshops/dashboard-data.ts reads them.
import type { CheckResult } from '../checks/check-result';
import { recogniseMistakes } from '../checks/mistakes';
import type { PredictionOutcome } from '../checks/predictions';
import { tallyPredictions, type PredictionTally, type TallyQuestion } from './prediction-tally';

export type CellState = 'not-started' | 'working' | 'passing' | 'failing';

export interface DashboardInput {
  /** The workshop's exercises, with their known mistakes (their wrong/ cases and the checks each fails). */
  exercises: {
    id: string;
    title: string;
    mistakes?: Record<string, { about: string; fails: string[] }>;
    /** Its prediction questions, for the room's tally. */
    predictions?: TallyQuestion[];
  }[];
  members: { learnerId: string; displayName: string; joinedAt: number }[];
  attempts: {
    id: string;
    learnerId: string;
    exerciseId: string;
    status: string;
    checks?: CheckResult[];
    predictions?: PredictionOutcome[];
    startedAt: number;
    finishedAt?: number;
  }[];
  drafts: { learnerId: string; exerciseId: string; updatedAt: number }[];
  /** The help each learner sought per exercise: hint steps and fixes seen, the solution opened. */
  help?: { learnerId: string; exerciseId: string; hintSteps: number; fixes: number; solutionShownAt?: number }[];
  /** Learners with a run in progress now, as `${learnerId} ${exerciseId}`. */
  running: Set<string>;
  now: number;
  /** A learner with nothing done for this long (and exercises left) is flagged. */
  idleMs: number;
  /** This many failed attempts in a row on the same check flag a learner. */
  repeatedFailures: number;
}

export interface Cell {
  state: CellState;
  attempts: number;
  /** From the first attempt to the first pass, or to the latest activity while not passing. */
  timeSpentMs: number;
  lastAttemptId?: string;
  /** Ids of the checks the latest finished attempt failed. */
  failedChecks: string[];
  /** Steps of graded hints the learner saw (the idea, the fix), and fixes among them. */
  hintSteps: number;
  fixes: number;
  /** When the learner opened the solution, if they did. */
  solutionShownAt?: number;
}

export interface LearnerRow {
  learnerId: string;
  displayName: string;
  lastActivityAt: number;
  cells: Record<string, Cell>;
  /** Why this learner looks stuck; empty when they do not. */
  stuck: { exerciseId?: string; reason: string }[];
}

export interface FailureClass {
  checkId: string;
  title: string;
  /** Failed attempts with this check failing. */
  attempts: number;
  /** Learners who had it fail at least once. */
  learners: number;
  /** Learners whose latest attempt fails it (still on it). */
  current: number;
}

/** A known mistake of an exercise, and how many failed attempts looked like it. */
export interface MistakeClass {
  mistakeId: string;
  about: string;
  attempts: number;
  learners: number;
  /** Learners whose latest attempt looks like it. */
  current: number;
}

export interface Dashboard {
  exercises: { id: string; title: string; passing: number; working: number; failing: number }[];
  learners: LearnerRow[];
  failureClasses: Record<string, FailureClass[]>;
  /** Failed attempts by the known mistake they look like (the most specific one each). */
  mistakeClasses: Record<string, MistakeClass[]>;
  /** Per exercise, how the room predicted each question against what its runs showed. */
  predictions: Record<string, PredictionTally[]>;
  /** The machine's runs: at once, waiting, recent waits for a slot, whether it keeps up. */
  machine?: MachineLoad;
  generatedAt: number;
}

/** The lab machine's run queue as the instructor sees it. */
export interface MachineLoad {
  slots: number;
  active: number;
  waiting: number;
  /** The 95th percentile wait for a slot over the last 5 minutes, and how many runs that covers. */
  waitP95Ms: number;
  runs: number;
  /** Estimated ms until the last run waiting now starts. */
  drainMs: number;
  /** False when runs wait, or would, longer than KEEPS_UP_MS: the machine is too small for the room now. */
  keepsUp: boolean;
}

/** A wait for a slot longer than this means the machine does not keep up with the room. */
export const KEEPS_UP_MS = 20_000;

const FINISHED = new Set(['pass', 'fail', 'error', 'interrupted']);

function failedChecksOf(attempt: DashboardInput['attempts'][number]): CheckResult[] {
  return (attempt.checks ?? []).filter((check) => check.status === 'fail' && !check.bonus);
}

export function buildDashboard(input: DashboardInput): Dashboard {
  const exerciseIds = new Set(input.exercises.map((exercise) => exercise.id));
  const byLearner = new Map<string, DashboardInput['attempts']>();
  for (const attempt of [...input.attempts].sort((a, b) => a.startedAt - b.startedAt)) {
    if (!exerciseIds.has(attempt.exerciseId)) continue;
    const list = byLearner.get(attempt.learnerId) ?? [];
    list.push(attempt);
    byLearner.set(attempt.learnerId, list);
  }
  const helpOf = new Map((input.help ?? []).map((help) => [`${help.learnerId} ${help.exerciseId}`, help]));
  const draftAt = new Map(input.drafts.map((draft) => [`${draft.learnerId} ${draft.exerciseId}`, draft.updatedAt]));
  const classes = new Map<string, Map<string, FailureClass & { learnerSet: Set<string> }>>();
  const mistakeCounts = new Map<string, Map<string, MistakeClass & { learnerSet: Set<string> }>>();

  const learners: LearnerRow[] = input.members.map((member) => {
    const attempts = byLearner.get(member.learnerId) ?? [];
    const cells: Record<string, Cell> = {};
    const stuck: LearnerRow['stuck'] = [];
    let lastActivityAt = member.joinedAt;
    for (const exercise of input.exercises) {
      const key = `${member.learnerId} ${exercise.id}`;
      const mine = attempts.filter((attempt) => attempt.exerciseId === exercise.id);
      const finished = mine.filter((attempt) => FINISHED.has(attempt.status));
      const firstPass = finished.find((attempt) => attempt.status === 'pass');
      const latest = mine.at(-1);
      const latestFinished = finished.at(-1);
      const draft = draftAt.get(key);
      const activity = Math.max(draft ?? 0, ...mine.map((attempt) => attempt.finishedAt ?? attempt.startedAt));
      if (activity) lastActivityAt = Math.max(lastActivityAt, activity);
      let state: CellState = 'not-started';
      if (firstPass) state = 'passing';
      else if (input.running.has(key) || latest?.status === 'running') state = 'working';
      else if (latestFinished && latestFinished.status !== 'interrupted') state = 'failing';
      else if (draft || mine.length) state = 'working';
      const begin = mine[0]?.startedAt;
      const end = firstPass
        ? (firstPass.finishedAt ?? firstPass.startedAt)
        : Math.max(activity, input.running.has(key) ? input.now : 0);
      const failedChecks = latestFinished ? failedChecksOf(latestFinished).map((check) => check.id) : [];
      cells[exercise.id] = {
        state,
        attempts: finished.length,
        timeSpentMs: begin ? Math.max(0, end - begin) : 0,
        lastAttemptId: latest?.id,
        failedChecks,
        hintSteps: helpOf.get(key)?.hintSteps ?? 0,
        fixes: helpOf.get(key)?.fixes ?? 0,
        ...(helpOf.get(key)?.solutionShownAt ? { solutionShownAt: helpOf.get(key)!.solutionShownAt } : {}),
      };

      // Failure classes: every failed attempt counts once per failing check.
      const perExercise = classes.get(exercise.id) ?? new Map();
      classes.set(exercise.id, perExercise);
      for (const attempt of finished) {
        for (const check of failedChecksOf(attempt)) {
          const entry = perExercise.get(check.id) ?? {
            checkId: check.id,
            title: check.title,
            attempts: 0,
            learners: 0,
            current: 0,
            learnerSet: new Set<string>(),
          };
          entry.attempts += 1;
          entry.learnerSet.add(member.learnerId);
          perExercise.set(check.id, entry);
        }
      }
      if (state === 'failing') {
        for (const id of failedChecks) {
          const entry = perExercise.get(id);
          if (entry) entry.current += 1;
        }
      }

      // The same attempts by the known mistake each looks like.
      const perMistake = mistakeCounts.get(exercise.id) ?? new Map();
      mistakeCounts.set(exercise.id, perMistake);
      const lookalike = (attempt: DashboardInput['attempts'][number]) =>
        attempt.status === 'fail' && exercise.mistakes
          ? recogniseMistakes(exercise.mistakes, attempt.checks ?? [])[0]
          : undefined;
      for (const attempt of finished) {
        const mistake = lookalike(attempt);
        if (!mistake) continue;
        const entry = perMistake.get(mistake.id) ?? {
          mistakeId: mistake.id,
          about: mistake.about,
          attempts: 0,
          learners: 0,
          current: 0,
          learnerSet: new Set<string>(),
        };
        entry.attempts += 1;
        entry.learnerSet.add(member.learnerId);
        perMistake.set(mistake.id, entry);
      }
      const latestMistake = state === 'failing' && latestFinished ? lookalike(latestFinished) : undefined;
      if (latestMistake) perMistake.get(latestMistake.id)!.current += 1;

      // Stuck: the same check failing in each of the latest attempts.
      if (state === 'failing' && finished.length >= input.repeatedFailures) {
        const recent = finished.slice(-input.repeatedFailures);
        const common = recent
          .map((attempt) => new Set(failedChecksOf(attempt).map((check) => check.id)))
          .reduce((a, b) => new Set([...a].filter((id) => b.has(id))));
        const first = [...common][0];
        if (first) {
          const title = failedChecksOf(recent.at(-1)!).find((check) => check.id === first)?.title ?? first;
          stuck.push({
            exerciseId: exercise.id,
            reason: `${input.repeatedFailures} failed attempts in a row on "${title}"`,
          });
        }
      }
    }
    const allPassing = input.exercises.every((exercise) => cells[exercise.id].state === 'passing');
    const busy = input.exercises.some((exercise) => input.running.has(`${member.learnerId} ${exercise.id}`));
    if (!allPassing && !busy && input.now - lastActivityAt >= input.idleMs) {
      stuck.push({ reason: `no activity for ${Math.floor((input.now - lastActivityAt) / 60_000)} min` });
    }
    return { learnerId: member.learnerId, displayName: member.displayName, lastActivityAt, cells, stuck };
  });

  const failureClasses: Record<string, FailureClass[]> = {};
  for (const [exerciseId, perExercise] of classes) {
    failureClasses[exerciseId] = [...perExercise.values()]
      .map(({ learnerSet, ...entry }) => ({ ...entry, learners: learnerSet.size }))
      .sort((a, b) => b.learners - a.learners || b.attempts - a.attempts);
  }
  const mistakeClasses: Record<string, MistakeClass[]> = {};
  for (const [exerciseId, perMistake] of mistakeCounts) {
    mistakeClasses[exerciseId] = [...perMistake.values()]
      .map(({ learnerSet, ...entry }) => ({ ...entry, learners: learnerSet.size }))
      .sort((a, b) => b.learners - a.learners || b.attempts - a.attempts);
  }
  const memberIds = new Set(input.members.map((member) => member.learnerId));
  const ordered = [...input.attempts].sort((a, b) => a.startedAt - b.startedAt);
  const predictions: Record<string, PredictionTally[]> = {};
  for (const exercise of input.exercises) {
    if (exercise.predictions?.length)
      predictions[exercise.id] = tallyPredictions(exercise.id, exercise.predictions, memberIds, ordered);
  }
  return {
    exercises: input.exercises.map(({ mistakes: _mistakes, predictions: _predictions, ...exercise }) => {
      const states = learners.map((row) => row.cells[exercise.id].state);
      return {
        ...exercise,
        passing: states.filter((state) => state === 'passing').length,
        working: states.filter((state) => state === 'working').length,
        failing: states.filter((state) => state === 'failing').length,
      };
    }),
    learners,
    failureClasses,
    mistakeClasses,
    predictions,
    generatedAt: input.now,
  };
}
