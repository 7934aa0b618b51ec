// The predictions a learner sent with a run: checked against the exercise's questions when the run is
// asked for, recorded with the attempt, and judged against the run's timeline when it ends.
import { judgePredictions, type PredictionOutcome } from '../checks/predictions';
import { HttpError } from '../http/http-error';
import type { IncidentTruth } from '../incidents/incident-truth';
import type { Exercise } from '../lessons/curriculum';
import type { PredictionPicks, PredictionSpec } from '../lessons/prediction-schema';
import type { TimelineEvent } from '../observe/timeline-event';

/** The exercise's prediction questions. */
export function predictionSpecsOf(exercise: Exercise): PredictionSpec[] {
  return exercise.spec.predictions;
}

/** Refuses a pick for a question the exercise does not ask, or a choice the question does not offer. */
export function assertPredictions(exercise: Exercise, picks: PredictionPicks): void {
  const specs = predictionSpecsOf(exercise);
  for (const [question, choice] of Object.entries(picks)) {
    const spec = specs.find((candidate) => candidate.id === question);
    if (!spec) throw new HttpError(400, `this exercise asks no prediction "${question}"`);
    if (!spec.choices.some((candidate) => candidate.id === choice))
      throw new HttpError(400, `the prediction "${question}" has no choice "${choice}"`);
  }
}

/** The predictions as recorded when the run starts: what the learner picked, nothing observed yet. */
export function startedPredictions(exercise: Exercise, picks: PredictionPicks): PredictionOutcome[] {
  return predictionSpecsOf(exercise)
    .filter((spec) => picks[spec.id])
    .map((spec) => {
      const choice = spec.choices.find((candidate) => candidate.id === picks[spec.id])!;
      return {
        id: spec.id,
        question: spec.question,
        predicted: { id: choice.id, text: choice.text },
        saw: 'not observed: the run did not finish',
      };
    });
}

/** Every question of the exercise with the learner's pick and the answer the finished run showed. */
export function finishedPredictions(
  exercise: Exercise,
  picks: PredictionPicks,
  events: TimelineEvent[],
  truth?: IncidentTruth,
): PredictionOutcome[] {
  return judgePredictions(predictionSpecsOf(exercise), picks, events, truth);
}
