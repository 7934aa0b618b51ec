// What a page sends to start a run, validated at the boundary.
import { z } from 'zod';
import { HttpError } from '../http/errors';
import type { Exercise } from '../lessons/curriculum';
import { PredictionPicksSchema } from '../lessons/prediction-schema';
import { CONTEXT_LIMITS } from '../sandbox/limits';

/** POST /api/runs. */
export const StartRunSchema = z
  .object({
    exerciseId: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'an exercise id such as main-process-exit/pid1'),
    files: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            content: z
              .string()
              .max(CONTEXT_LIMITS.maxFileBytes, `at most ${CONTEXT_LIMITS.maxFileBytes} characters per file`),
          })
          .strict(),
      )
      .max(CONTEXT_LIMITS.maxFiles, `at most ${CONTEXT_LIMITS.maxFiles} files`),
    /** The learner's answers to the exercise's prediction questions, if any: question id -> choice id. */
    predictions: PredictionPicksSchema.optional(),
  })
  .strict();
export type StartRun = z.infer<typeof StartRunSchema>;

/** Refuses files the exercise does not have: a learner edits the exercise's files, nothing else. */
export function assertExerciseFiles(exercise: Exercise, files: { name: string }[]): void {
  const unknown = files.filter((file) => !exercise.spec.files.includes(file.name));
  if (unknown.length) {
    throw new HttpError(
      400,
      `this exercise has no file ${unknown.map((f) => f.name).join(', ')}; its files are ${exercise.spec.files.join(', ')}`,
    );
  }
}
