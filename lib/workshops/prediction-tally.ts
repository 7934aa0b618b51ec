// How a room predicted, against what its runs showed: for each prediction question of an exercise, the
// learners who picked each choice and the runs in which the lab saw it. A learner counts once per
// question, by their first finished attempt that answered it: the prediction made before they had seen.
import { predictionVerdict, type PredictionOutcome } from '../checks/predictions';

/** A question as the dashboard lists it (its choices in the exercise's order). */
export interface TallyQuestion {
  id: string;
  question: string;
  choices: { id: string; text: string }[];
}

/** One question's tally. */
export interface PredictionTally {
  questionId: string;
  question: string;
  /** Learners who answered it. */
  answered: number;
  /** Learners whose prediction the lab saw come true. */
  right: number;
  choices: { id: string; text: string; predicted: number; observed: number }[];
  /** In a sentence: "14 of 20 expected “it keeps running”; the lab saw “it exited” in 18 runs". */
  summary: string;
}

/** The attempts the tally reads, in the order they started. */
export interface TallyAttempt {
  learnerId: string;
  exerciseId: string;
  status: string;
  predictions?: PredictionOutcome[];
}

const FINISHED = new Set(['pass', 'fail', 'error']);

const top = <T extends { text: string }>(entries: T[], count: (entry: T) => number) =>
  entries.reduce<T | undefined>((best, entry) => (count(entry) > (best ? count(best) : 0) ? entry : best), undefined);

/** The tallies of one exercise's questions over the members' attempts. */
export function tallyPredictions(
  exerciseId: string,
  questions: TallyQuestion[],
  members: Set<string>,
  attempts: TallyAttempt[],
): PredictionTally[] {
  const finished = attempts.filter(
    (attempt) => attempt.exerciseId === exerciseId && members.has(attempt.learnerId) && FINISHED.has(attempt.status),
  );
  return questions.map((question) => {
    const choices = question.choices.map((choice) => ({ ...choice, predicted: 0, observed: 0 }));
    const counted = new Set<string>();
    let right = 0;
    for (const attempt of finished) {
      const outcome = attempt.predictions?.find((candidate) => candidate.id === question.id);
      if (!outcome?.predicted || counted.has(attempt.learnerId)) continue;
      counted.add(attempt.learnerId);
      const predicted = choices.find((choice) => choice.id === outcome.predicted!.id);
      if (predicted) predicted.predicted += 1;
      const observed = choices.find((choice) => choice.id === outcome.observed?.id);
      if (observed) observed.observed += 1;
      if (predictionVerdict(outcome) === 'right') right += 1;
    }
    const answered = counted.size;
    const expected = top(choices, (choice) => choice.predicted);
    const seen = top(choices, (choice) => choice.observed);
    const summary = !answered
      ? 'no predictions yet'
      : `${expected!.predicted} of ${answered} expected “${expected!.text}”; ` +
        (seen ? `the lab saw “${seen.text}” in ${seen.observed} of their runs` : 'the lab saw none of the choices') +
        ` (${right} right)`;
    return { questionId: question.id, question: question.question, answered, right, choices, summary };
  });
}

/**
 * One learner's predictions on an exercise for the export, each from their first finished attempt that
 * answered it: "who-is-pid1: expected node server.js, saw a shell (wrong)".
 */
export function learnerPredictionsText(attempts: TallyAttempt[]): string {
  const first = new Map<string, PredictionOutcome>();
  for (const attempt of attempts) {
    if (!FINISHED.has(attempt.status)) continue;
    for (const outcome of attempt.predictions ?? []) {
      if (outcome.predicted && !first.has(outcome.id)) first.set(outcome.id, outcome);
    }
  }
  return [...first.values()]
    .map(
      (outcome) =>
        `${outcome.id}: expected ${outcome.predicted!.text}, saw ${outcome.observed?.text ?? 'none of the choices'} (${predictionVerdict(outcome)})`,
    )
    .join('; ');
}
