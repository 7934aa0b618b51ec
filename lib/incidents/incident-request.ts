// What a page sends to open or replace its incident, validated at the boundary.
import { z } from 'zod';
import { HttpError } from '../http/http-error';
import { findExercise, type DiagnosisExercise } from '../lessons/curriculum';

/** POST /api/incidents. */
export const OpenIncidentSchema = z
  .object({
    exerciseId: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'an exercise id such as main-process-exit/diagnose'),
    /** true: stage a new incident even if the current one is still there ("New incident"). */
    fresh: z.boolean().default(false),
  })
  .strict();

/** The diagnosis exercise with this id; a 404 when there is none, a 400 when it is not a diagnosis. */
export function diagnosisExercise(id: string): DiagnosisExercise {
  const exercise = findExercise(id);
  if (!exercise) throw new HttpError(404, `no exercise ${id}`);
  if (exercise.kind !== 'diagnosis') throw new HttpError(400, `${id} is not a diagnosis exercise: it has no incident`);
  return exercise;
}
