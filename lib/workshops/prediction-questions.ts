// An exercise's prediction questions as the instructor's dashboard and the export list them.
import { findExercise } from '../lessons/curriculum';
import type { TallyQuestion } from './prediction-tally';

/** The questions of the exercise with this id (none for an unknown id). */
export function predictionQuestionsOf(exerciseId: string): TallyQuestion[] {
  const exercise = findExercise(exerciseId);
  if (!exercise) return [];
  return exercise.spec.predictions.map(({ id, question, choices }) => ({
    id,
    question,
    choices: choices.map((choice) => ({ id: choice.id, text: choice.text })),
  }));
}
