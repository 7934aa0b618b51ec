// The learner of a page request (server components), from the signed cookie.
import { cookies } from 'next/headers';
import { progressOf, type ExerciseProgress } from '../db/learner-store';
import { log } from '../log';
import { LEARNER_COOKIE, verifyLearner } from './identity';

/** The visiting learner's id, or null for a new visitor. */
export async function pageLearner(): Promise<string | null> {
  return verifyLearner((await cookies()).get(LEARNER_COOKIE)?.value);
}

/** What the page shows of the visitor's records, or `fallback` for a new visitor or when they cannot be read. */
export async function readForPage<T>(what: string, read: (learnerId: string) => Promise<T>, fallback: T): Promise<T> {
  const learnerId = await pageLearner();
  if (!learnerId) return fallback;
  try {
    return await read(learnerId);
  } catch (error) {
    log.error(`Failed to read ${what}`, { learner: learnerId, error: String(error) });
    return fallback;
  }
}

/** The visiting learner's progress; empty for a new visitor or when the records cannot be read. */
export function pageProgress(): Promise<ExerciseProgress[]> {
  return readForPage('progress', progressOf, []);
}
