// What the instructor does to a workshop: lock or unlock joining, end it (every member's sandbox is
// stopped, every record kept) or reopen it, reset one learner's sandbox, post a message to everyone.
// Each action is taken on a workshop already authenticated (instructor-auth.ts), and its learners'
// pages hear of it at once through the workshop's events.
import { randomBytes } from 'node:crypto';
import {
  currentMembers,
  insertMessage,
  latestMessages,
  memberOf,
  membersOf,
  updateWorkshop,
  type WorkshopRecord,
} from '../db/workshop-store';
import { HttpError } from '../http/http-error';
import { takeOrRefuse } from '../http/rate-limiter';
import { log } from '../log';
import { stopLearnerSandbox } from './learner-sandbox';
import { exerciseTitle, messageView } from './learner-workshop';
import { type MessageView } from './workshop-events';
import { WORKSHOP_POLICY } from './workshop-policy';
import { workshopState, type WorkshopState } from './workshop-state';
import { services } from '../services';

/** GET /api/workshops/<id>: the workshop as its instructor sees it. */
export interface InstructorWorkshopView {
  id: string;
  title: string;
  joinCode: string;
  state: WorkshopState;
  locked: boolean;
  /** Members cannot open the solutions while set. */
  solutionsHeld: boolean;
  capacity: number;
  /** ISO times, or null. */
  startsAt: string | null;
  endsAt: string | null;
  endedAt: string | null;
  createdAt: string;
  exercises: { id: string; title: string }[];
  members: { learnerId: string; displayName: string; joinedAt: string }[];
  messages: MessageView[];
}

export async function instructorView(workshop: WorkshopRecord): Promise<InstructorWorkshopView> {
  const [members, messages] = await Promise.all([
    membersOf(workshop.id),
    latestMessages(workshop.id, WORKSHOP_POLICY.messagesShown),
  ]);
  return {
    id: workshop.id,
    title: workshop.title,
    joinCode: workshop.joinCode,
    state: workshopState(workshop),
    locked: workshop.locked,
    solutionsHeld: workshop.solutionsHeld,
    capacity: workshop.capacity,
    startsAt: workshop.startsAt?.toISOString() ?? null,
    endsAt: workshop.endsAt?.toISOString() ?? null,
    endedAt: workshop.endedAt?.toISOString() ?? null,
    createdAt: workshop.createdAt.toISOString(),
    exercises: workshop.exerciseIds.map((id) => ({ id, title: exerciseTitle(id) })),
    members: members.map((member) => ({
      learnerId: member.learnerId,
      displayName: member.displayName,
      joinedAt: member.joinedAt.toISOString(),
    })),
    messages: messages.map(messageView),
  };
}

async function changed(workshop: WorkshopRecord): Promise<WorkshopRecord> {
  services().workshopEvents.emit(workshop.id, { type: 'state', state: workshopState(workshop) });
  return workshop;
}

/** Locks (or unlocks) joining: members stay, new learners are refused. */
export async function setJoiningLocked(workshop: WorkshopRecord, locked: boolean): Promise<WorkshopRecord> {
  log.info(locked ? 'Locked workshop' : 'Unlocked workshop', { workshop: workshop.id });
  return changed(await updateWorkshop(workshop.id, { locked }));
}

/** Holds the solutions back (or releases them): members' pages hear of it at once. */
export async function setSolutionsHeld(workshop: WorkshopRecord, held: boolean): Promise<WorkshopRecord> {
  log.info(held ? 'Held solutions back' : 'Released solutions', { workshop: workshop.id });
  const updated = await updateWorkshop(workshop.id, { solutionsHeld: held });
  services().workshopEvents.emit(workshop.id, { type: 'solutions', held });
  return updated;
}

/** Runs `task` for each item, at most `width` at a time. */
async function inBatches<T>(
  items: T[],
  width: number,
  task: (item: T) => Promise<void>,
): Promise<PromiseSettledResult<void>[]> {
  const results: PromiseSettledResult<void>[] = [];
  for (let i = 0; i < items.length; i += width)
    results.push(...(await Promise.allSettled(items.slice(i, i + width).map(task))));
  return results;
}

/**
 * Ends the workshop: joining is refused, members' pages show it ended, and every sandbox of a member
 * whose current workshop this is gets stopped (a member who has moved on to another workshop keeps
 * theirs). Records stay. Answers once the sandboxes are gone; throws if the engine failed at some.
 */
export async function endWorkshop(
  workshop: WorkshopRecord,
): Promise<{ workshop: WorkshopRecord; stoppedSandboxes: number }> {
  const ended = workshop.endedAt ? workshop : await updateWorkshop(workshop.id, { endedAt: new Date() });
  await changed(ended);
  const members = await currentMembers(workshop.id);
  log.info('Ending workshop', { workshop: workshop.id, members: members.length });
  const results = await inBatches(members, WORKSHOP_POLICY.endConcurrency, (member) =>
    stopLearnerSandbox(member.learnerId, 'your workshop has ended'),
  );
  const failed = results.filter((result) => result.status === 'rejected').length;
  if (failed) throw new Error(`the sandboxes of ${failed} of ${members.length} members could not all be stopped`);
  log.info('Ended workshop', { workshop: workshop.id, members: members.length });
  return { workshop: ended, stoppedSandboxes: members.length };
}

/** Reopens an ended workshop; an end time already past is cleared, so that it is open again. */
export async function reopenWorkshop(workshop: WorkshopRecord): Promise<WorkshopRecord> {
  const pastEnd = workshop.endsAt && workshop.endsAt <= new Date();
  log.info('Reopened workshop', { workshop: workshop.id });
  return changed(await updateWorkshop(workshop.id, { endedAt: null, ...(pastEnd ? { endsAt: null } : {}) }));
}

/** Stops one member's sandbox; their page is told. 404 for a learner who is not a member of this workshop. */
export async function resetMemberSandbox(workshop: WorkshopRecord, learnerId: string): Promise<void> {
  if (!(await memberOf(workshop.id, learnerId))) throw new HttpError(404, `no learner ${learnerId} in this workshop`);
  await stopLearnerSandbox(learnerId, 'your instructor reset your sandbox');
  services().workshopEvents.emit(workshop.id, { type: 'reset', learnerId });
  services().activity.emit({ learnerId, kind: 'reset' });
}

/** Posts a message to everyone in the workshop (rate-limited per workshop). */
export async function postMessage(workshop: WorkshopRecord, text: string): Promise<MessageView> {
  await takeOrRefuse(
    services().workshopLimits.messagesPerWorkshop,
    workshop.id,
    `at most ${WORKSHOP_POLICY.messagesPerWorkshop.max} messages a minute`,
  );
  const message = messageView(
    await insertMessage({
      id: `m${randomBytes(6).toString('hex')}`,
      workshopId: workshop.id,
      text,
      createdAt: new Date(),
    }),
  );
  services().workshopEvents.emit(workshop.id, { type: 'message', message });
  log.info('Posted workshop message', { workshop: workshop.id, message: message.id });
  return message;
}
