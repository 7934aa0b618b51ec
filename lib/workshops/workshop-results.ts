// A workshop's results for export: one row per learner and exercise, with the state, attempts and time
// spent the instructor's dashboard shows, the first and last attempt times, and the checks the last
// finished attempt failed, the learner's predictions beside what their runs showed, and the help they
// sought (graded hint steps, fixes, the solution).
import { roomRows } from '../db/room-store';
import type { WorkshopRecord } from '../db/workshop-store';
import { buildDashboard } from './dashboard';
import { exerciseTitle } from './learner-workshop';
import { learnerPredictionsText } from './prediction-tally';
import { toCsv, type CsvValue } from './results-csv';

export const RESULTS_HEADER = [
  'display_name',
  'learner_id',
  'exercise_id',
  'exercise_title',
  'status',
  'attempts',
  'first_attempt_at',
  'last_attempt_at',
  'time_spent_s',
  'last_failed_checks',
  'predictions',
  'hint_steps_opened',
  'fixes_opened',
  'solution_shown_at',
];

/** The rows of the export, members in the order they joined, exercises in the workshop's order. */
export async function workshopResults(workshop: WorkshopRecord, now = Date.now()): Promise<CsvValue[][]> {
  const rows = await roomRows(workshop.id, workshop.exerciseIds);
  const exercises = workshop.exerciseIds.map((id) => ({ id, title: exerciseTitle(id) }));
  const room = buildDashboard({
    exercises,
    ...rows,
    running: new Set(),
    now,
    idleMs: Infinity,
    repeatedFailures: Infinity,
  });
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return room.learners.flatMap((learner) =>
    exercises.map((exercise) => {
      const cell = learner.cells[exercise.id];
      const attempts = rows.attempts.filter(
        (attempt) => attempt.learnerId === learner.learnerId && attempt.exerciseId === exercise.id,
      );
      return [
        learner.displayName,
        learner.learnerId,
        exercise.id,
        exercise.title,
        cell.state,
        cell.attempts,
        iso(attempts[0]?.startedAt),
        iso(attempts.at(-1)?.startedAt),
        Math.round(cell.timeSpentMs / 1000),
        cell.failedChecks.join(' '),
        learnerPredictionsText(attempts),
        cell.hintSteps,
        cell.fixes,
        iso(cell.solutionShownAt),
      ];
    }),
  );
}

/** The export as a CSV file. */
export async function workshopResultsCsv(workshop: WorkshopRecord): Promise<string> {
  return toCsv(RESULTS_HEADER, await workshopResults(workshop));
}
