// Creating a workshop: the exercises are checked against the curriculum, a join code is drawn (again
// if taken), and the instructor's key is made. The key is returned once and only its hash is kept.
import { randomBytes } from 'node:crypto';
import { insertWorkshop, JoinCodeTaken } from '../db/workshop-store';
import { HttpError } from '../http/http-error';
import { findExercise } from '../lessons/curriculum';
import { log } from '../log';
import { hashInstructorKey, newInstructorKey } from './instructor-key';
import { newJoinCode } from './join-code';
import type { CreateWorkshop } from './workshop-request';

/** What the instructor gets, once: the code for learners and the secret link for themself. */
export interface CreatedWorkshop {
  workshopId: string;
  joinCode: string;
  /** The secret: whoever has it acts as the instructor. */
  instructorKey: string;
  /** The instructor's page, with the key: `/instructor/<workshopId>?key=<instructorKey>`. */
  instructorUrl: string;
}

/** The instructor's page of a workshop. */
export function instructorUrl(workshopId: string, key: string): string {
  return `/instructor/${workshopId}?key=${encodeURIComponent(key)}`;
}

export async function createWorkshop(request: CreateWorkshop): Promise<CreatedWorkshop> {
  const unknown = request.exerciseIds.filter((id) => !findExercise(id));
  if (unknown.length) throw new HttpError(400, `no exercise ${unknown.join(', ')} in the curriculum`);
  const repeated = request.exerciseIds.filter((id, index) => request.exerciseIds.indexOf(id) !== index);
  if (repeated.length)
    throw new HttpError(400, `each exercise at most once: ${[...new Set(repeated)].join(', ')} is chosen twice`);
  const workshopId = `w${randomBytes(6).toString('hex')}`;
  const instructorKey = newInstructorKey();
  // About 887 million codes: a clash is rare, and a few draws settle it.
  for (let attempt = 0; attempt < 5; attempt++) {
    const joinCode = newJoinCode();
    try {
      await insertWorkshop({
        id: workshopId,
        title: request.title,
        joinCode,
        instructorSecretHash: hashInstructorKey(instructorKey),
        exerciseIds: request.exerciseIds,
        startsAt: request.startsAt ?? undefined,
        endsAt: request.endsAt ?? undefined,
        capacity: request.capacity,
      });
      log.info('Created workshop', {
        workshop: workshopId,
        code: joinCode,
        exercises: request.exerciseIds.length,
        capacity: request.capacity,
      });
      return { workshopId, joinCode, instructorKey, instructorUrl: instructorUrl(workshopId, instructorKey) };
    } catch (error) {
      if (!(error instanceof JoinCodeTaken)) throw error;
    }
  }
  throw new Error('no free join code after 5 draws');
}
