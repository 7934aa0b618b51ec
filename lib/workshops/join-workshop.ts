// Joining a workshop with its code and a display name. No account: the learner is the one in the
// signed cookie. Joins of one workshop are taken one at a time, so that two learners who join at the
// same moment cannot both take its last place.
import { memberCount, memberOf, upsertMember, workshopByJoinCode } from '../db/workshop-store';
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

function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
  const queue = services().workshopLimits.joinQueue;
  const previous = queue.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(task);
  queue.set(key, next);
  void next.catch(() => undefined).finally(() => queue.get(key) === next && queue.delete(key));
  return next;
}

export async function joinWorkshop(learnerId: string, address: string, request: JoinWorkshop): Promise<JoinedWorkshop> {
  const limits = services().workshopLimits;
  takeOrRefuse(limits.joinsPerLearner, learnerId, 'too many join attempts');
  takeOrRefuse(limits.joinsPerAddress, address, 'too many join attempts from this address');
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
  return oneAtATime(workshop.id, async () => {
    const isMember = (await memberOf(workshop.id, learnerId)) !== null;
    const refusal = joinRefusal(workshop, isMember ? 0 : await memberCount(workshop.id), isMember);
    if (refusal) throw new HttpError(refusal.status, refusal.message, { reason: refusal.reason });
    await upsertMember({ workshopId: workshop.id, learnerId, displayName: request.displayName });
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
  });
}
