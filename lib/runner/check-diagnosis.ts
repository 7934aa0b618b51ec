// One check of a diagnosis: the learner's answer.json judged against the truth recorded for their
// incident. Nothing is built or run (the incident was staged and observed before), so this takes
// milliseconds; it answers with a run outcome like any other so pages, the CLI and the records
// treat both kinds of exercise alike.
import { recogniseMistakes } from '../checks/mistakes';
import { overallStatus } from '../checks/check-result';
import { judgeDiagnosis } from '../checks/diagnosis';
import { ANSWER_FILE } from '../checks/diagnosis-answer';
import type { IncidentTruth } from '../incidents/incident-truth';
import type { DiagnosisExercise } from '../lessons/curriculum';
import { Timeline } from '../observe/timeline';
import type { LearnerFile } from '../sandbox/learner-files';
import { newRunId, type RunOutcome } from './run-exercise';

/** What checking a diagnosis needs. */
export interface DiagnosisCheckRequest {
  exercise: DiagnosisExercise;
  /** The learner's files (answer.json). */
  files: LearnerFile[];
  /** What the lab observed of the learner's incident. */
  truth: IncidentTruth;
  runId?: string;
  timeline?: Timeline;
}

/** Judges the answer; a wrong answer is a `fail` outcome, never an exception. */
export async function checkDiagnosis(request: DiagnosisCheckRequest): Promise<RunOutcome> {
  const { exercise, truth } = request;
  const runId = request.runId ?? newRunId();
  const timeline = request.timeline ?? new Timeline();
  timeline.add({ type: 'run-start', exerciseId: exercise.id, runId });
  const answer = request.files.find((file) => file.name === ANSWER_FILE)?.content;
  const checks = judgeDiagnosis(answer, truth, exercise.spec.incident.container, exercise.spec.mistakes);
  const status = overallStatus(checks);
  timeline.add({ type: 'run-end', status });
  timeline.close();
  const mistakes = status === 'fail' ? recogniseMistakes(exercise.spec.mistakes, checks) : [];
  return { runId, exerciseId: exercise.id, status, checks, mistakes, timeline, durationMs: timeline.now() };
}
