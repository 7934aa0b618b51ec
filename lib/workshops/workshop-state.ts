// Where a workshop stands and whether a learner may join it: pure rules over the record, the number
// of members and the clock, so that they are tested without a database.
import type { WorkshopRecord } from '../db/workshop-store';

/**
 * scheduled: before its start time; open: learners may join; locked: the instructor closed joining;
 * closed: past its end time; ended: the instructor ended it (sandboxes stopped, records kept).
 */
export type WorkshopState = 'scheduled' | 'open' | 'locked' | 'closed' | 'ended';

type Timing = Pick<WorkshopRecord, 'startsAt' | 'endsAt' | 'locked' | 'endedAt'>;

export function workshopState(workshop: Timing, now: Date = new Date()): WorkshopState {
  if (workshop.endedAt) return 'ended';
  if (workshop.startsAt && now < workshop.startsAt) return 'scheduled';
  if (workshop.endsAt && now >= workshop.endsAt) return 'closed';
  return workshop.locked ? 'locked' : 'open';
}

/** Why a join is refused, as data: the route maps it to a status, the page shows `message`. */
export interface JoinRefusal {
  reason: 'ended' | 'not-started' | 'closed' | 'locked' | 'full';
  status: number;
  message: string;
}

function when(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Null when the learner may join, else why not. A member may come back (another tab, another browser
 * with the same code) while the workshop runs, even once it is locked or full: those only keep new
 * learners out.
 */
export function joinRefusal(
  workshop: Timing & Pick<WorkshopRecord, 'capacity'>,
  members: number,
  isMember: boolean,
  now: Date = new Date(),
): JoinRefusal | null {
  const state = workshopState(workshop, now);
  if (state === 'ended')
    return { reason: 'ended', status: 410, message: 'this workshop has ended: ask your instructor to reopen it' };
  if (state === 'scheduled')
    return { reason: 'not-started', status: 403, message: `this workshop opens at ${when(workshop.startsAt!)}` };
  if (state === 'closed')
    return { reason: 'closed', status: 410, message: `this workshop closed at ${when(workshop.endsAt!)}` };
  if (isMember) return null;
  if (state === 'locked')
    return {
      reason: 'locked',
      status: 403,
      message: 'joining this workshop is locked: ask your instructor to unlock it',
    };
  if (members >= workshop.capacity)
    return { reason: 'full', status: 409, message: `this workshop is full: all ${workshop.capacity} places are taken` };
  return null;
}
