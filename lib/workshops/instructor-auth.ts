// The instructor is whoever holds the workshop's key. Every instructor action starts here: a missing
// key is a 401, a wrong key (or a key of another workshop, or a workshop that does not exist) a 403,
// with the same answer in each case so that nothing is learnt by trying.
import { workshopById, type WorkshopRecord } from '../db/workshop-store';
import { HttpError } from '../http/http-error';
import { hashInstructorKey, instructorKeyMatches } from './instructor-key';

/** The header that carries the key; `?key=` in the URL works too (the instructor's link has it). */
export const INSTRUCTOR_KEY_HEADER = 'x-instructor-key';

/** A hash no key has, compared against when the workshop does not exist: the same work either way. */
const NO_WORKSHOP = hashInstructorKey('');

/** The workshop whose key `key` is; throws 401 or 403 otherwise. */
export async function authenticateInstructor(
  workshopId: string,
  key: string | null | undefined,
): Promise<WorkshopRecord> {
  if (!key)
    throw new HttpError(
      401,
      `the instructor's key is missing: open the instructor link (it carries ?key=...) or send the ${INSTRUCTOR_KEY_HEADER} header`,
    );
  const workshop = /^w[0-9a-f]{12}$/.test(workshopId) ? await workshopById(workshopId) : null;
  const matches = instructorKeyMatches(workshop?.instructorSecretHash ?? NO_WORKSHOP, key);
  if (!workshop || !matches) throw new HttpError(403, "this is not the instructor's key of this workshop");
  return workshop;
}
