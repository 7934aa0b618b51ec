// The files of an exercise as the learner has them: their draft over the starter files, what the
// editor in the page shows.
import { loadDraft } from '../db/learner-store';
import { findExercise, mergeFiles } from '../lessons/curriculum';
import type { LearnerFile } from '../sandbox/learner-files';

/** The learner's files of the exercise, or null when there is no such exercise. */
export async function learnerExerciseFiles(learnerId: string, exerciseId: string): Promise<LearnerFile[] | null> {
  const exercise = findExercise(exerciseId);
  if (!exercise) return null;
  const draft = (await loadDraft(learnerId, exerciseId)) ?? [];
  // Only the exercise's own files: a draft cannot bring in others (the drafts route checks too).
  return mergeFiles(
    exercise.starter,
    draft.filter((file) => exercise.spec.files.includes(file.name)),
  );
}
