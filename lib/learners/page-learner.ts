// The learner of a page request (server components), from the signed cookie.
import { cookies } from 'next/headers';
import { progressOf, type ExerciseProgress } from '../db/learner-store';
import { log } from '../log';
import { LEARNER_COOKIE, verifyLearner } from './identity';

/** The visiting learner's progress; empty for a new visitor or when the records cannot be read. */
export async function pageProgress(): Promise<ExerciseProgress[]> {
  const learnerId = verifyLearner((await cookies()).get(LEARNER_COOKIE)?.value);
  if (!learnerId) return [];
  try {
    return await progressOf(learnerId);
  } catch (error) {
    log.error('Failed to read progress', { learner: learnerId, error: String(error) });
    return [];
  }
}
