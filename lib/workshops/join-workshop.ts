// Joining a workshop with its code and a display name. No account: the learner is the one in the
// signed cookie. Joins of one workshop are taken one at a time (join-queue.ts; across the cells of a lab
// of several), so that two learners who join at the same moment cannot both take its last place.
import { memberCount, memberOf, upsertMember, workshopByJoinCode, type WorkshopRecord } from '../db/workshop-store';
import { HttpError } from '../http/http-error';
import { takeOrRefuse } from '../http/rate-limiter';
import { log } from '../log';
import { normalizeJoinCode } from './join-code';
import type { JoinWorkshop } from './workshop-request';
import { WORKSHOP_POLICY } from './workshop-policy';
import { joinRefusal } from './workshop-state';
import { services } from '../services';

/** What a learner who joined is told: where to go first. */
export interface JoinedWorkshop {
  workshopId: string;
  title: string;
  /** True when they were a member already. */
  rejoined: boolean;
  /** The workshop's first exercise, where the page sends them. */
  firstExerciseUrl: string;
}

/** Joins the learner to the workshop of the request's code, or throws what refuses them (an HttpError). */
export async function joinWorkshop(learnerId: string, address: string, request: JoinWorkshop): Promise<JoinedWorkshop> {
  const limits = services().workshopLimits;
  await takeOrRefuse(limits.joinsPerLearner, learnerId, 'too many join attempts');
  await takeOrRefuse(limits.joinsPerAddress, address, 'too many join attempts from this address');
  const code = normalizeJoinCode(request.code);
  if (!code)
    throw new HttpError(400, `a join code is ${WORKSHOP_POLICY.joinCode.length} letters and digits, such as K7RM4Q`, {
      reason: 'bad-code',
    });
  const workshop = await workshopByJoinCode(code);
  if (!workshop)
    throw new HttpError(404, `no workshop has the code ${code}: check it with your instructor`, {
      reason: 'unknown-code',
    });
  return limits.joinQueue.run(workshop.id, () => admitMember(workshop, learnerId, request.displayName));
}

/**
 * The join itself, to be run in the workshop's turn (limits.joinQueue): counts the members, refuses a
 * learner the workshop has no place for, and adds the learner.
 */
export async function admitMember(
  workshop: WorkshopRecord,
  learnerId: string,
  displayName: string,
): Promise<JoinedWorkshop> {
  const isMember = (await memberOf(workshop.id, learnerId)) !== null;
  const refusal = joinRefusal(workshop, isMember ? 0 : await memberCount(workshop.id), isMember);
  if (refusal) throw new HttpError(refusal.status, refusal.message, { reason: refusal.reason });
  await upsertMember({ workshopId: workshop.id, learnerId, displayName });
  log.info(isMember ? 'Learner rejoined workshop' : 'Learner joined workshop', {
    workshop: workshop.id,
    learner: learnerId,
  });
  services().activity.emit({ learnerId, kind: 'join' });
  return {
    workshopId: workshop.id,
    title: workshop.title,
    rejoined: isMember,
    firstExerciseUrl: `/exercises/${workshop.exerciseIds[0]}`,
  };
}
