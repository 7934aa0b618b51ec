// What the lab keeps about workshops: the workshop itself (its join code, the hash of the instructor's
// key, its exercises in order, its window and capacity, whether joining is locked, when it ended), its
// members under the names they joined with, and the instructor's messages. Nothing here is ever
// deleted by a workshop's end: records stay.
import { db } from './client';

/** A workshop as stored. */
export interface WorkshopRecord {
  id: string;
  title: string;
  joinCode: string;
  instructorSecretHash: string;
  /** In the order taught. */
  exerciseIds: string[];
  startsAt?: Date;
  endsAt?: Date;
  capacity: number;
  locked: boolean;
  /** Members cannot open the solutions of its exercises while set. */
  solutionsHeld: boolean;
  endedAt?: Date;
  createdAt: Date;
}

/** A learner in a workshop. */
export interface MemberRecord {
  workshopId: string;
  learnerId: string;
  displayName: string;
  joinedAt: Date;
  lastJoinedAt: Date;
}

/** A message the instructor posted. */
export interface MessageRecord {
  id: string;
  workshopId: string;
  text: string;
  createdAt: Date;
}

type WorkshopRow = NonNullable<Awaited<ReturnType<ReturnType<typeof db>['workshop']['findUnique']>>>;

function toWorkshop(row: WorkshopRow): WorkshopRecord {
  return {
    id: row.id,
    title: row.title,
    joinCode: row.joinCode,
    instructorSecretHash: row.instructorSecretHash,
    exerciseIds: JSON.parse(row.exerciseIds) as string[],
    startsAt: row.startsAt ?? undefined,
    endsAt: row.endsAt ?? undefined,
    capacity: row.capacity,
    locked: row.locked,
    solutionsHeld: row.solutionsHeld,
    endedAt: row.endedAt ?? undefined,
    createdAt: row.createdAt,
  };
}

/** The join code is taken already (the caller draws another). */
export class JoinCodeTaken extends Error {}

/** Records a new workshop; throws JoinCodeTaken when another workshop has its code. */
export async function insertWorkshop(
  workshop: Omit<WorkshopRecord, 'locked' | 'solutionsHeld' | 'endedAt' | 'createdAt'>,
): Promise<WorkshopRecord> {
  try {
    const row = await db().workshop.create({
      data: { ...workshop, exerciseIds: JSON.stringify(workshop.exerciseIds) },
    });
    return toWorkshop(row);
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new JoinCodeTaken(workshop.joinCode);
    throw error;
  }
}

export async function workshopById(id: string): Promise<WorkshopRecord | null> {
  const row = await db().workshop.findUnique({ where: { id } });
  return row ? toWorkshop(row) : null;
}

export async function workshopByJoinCode(joinCode: string): Promise<WorkshopRecord | null> {
  const row = await db().workshop.findUnique({ where: { joinCode } });
  return row ? toWorkshop(row) : null;
}

/** Changes whether joining is locked, whether solutions are held back, when it ended (null: reopened) and its end time. */
export async function updateWorkshop(
  id: string,
  change: { locked?: boolean; solutionsHeld?: boolean; endedAt?: Date | null; endsAt?: Date | null },
): Promise<WorkshopRecord> {
  return toWorkshop(await db().workshop.update({ where: { id }, data: change }));
}

export async function memberOf(workshopId: string, learnerId: string): Promise<MemberRecord | null> {
  return db().workshopMember.findUnique({ where: { workshopId_learnerId: { workshopId, learnerId } } });
}

export async function memberCount(workshopId: string): Promise<number> {
  return db().workshopMember.count({ where: { workshopId } });
}

export async function membersOf(workshopId: string): Promise<MemberRecord[]> {
  return db().workshopMember.findMany({ where: { workshopId }, orderBy: { joinedAt: 'asc' } });
}

/**
 * Adds the learner to the workshop, or for a member who joins again, records the new name and makes it
 * their current workshop. The learner's display name becomes the one they joined with.
 */
export async function upsertMember(member: {
  workshopId: string;
  learnerId: string;
  displayName: string;
}): Promise<MemberRecord> {
  const { workshopId, learnerId, displayName } = member;
  // Later than the learner's previous join even within the same millisecond: the last join is current.
  const previous = await db().workshopMember.findFirst({
    where: { learnerId },
    orderBy: { lastJoinedAt: 'desc' },
    select: { lastJoinedAt: true },
  });
  const now = new Date(Math.max(Date.now(), (previous?.lastJoinedAt.getTime() ?? 0) + 1));
  await db().learner.upsert({
    where: { id: learnerId },
    create: { id: learnerId, displayName },
    update: { displayName },
  });
  return db().workshopMember.upsert({
    where: { workshopId_learnerId: { workshopId, learnerId } },
    create: { workshopId, learnerId, displayName, joinedAt: now, lastJoinedAt: now },
    update: { displayName, lastJoinedAt: now },
  });
}

/** The learner's current workshop (the one joined last) with their membership; null when none. */
export async function currentMembership(
  learnerId: string,
): Promise<{ member: MemberRecord; workshop: WorkshopRecord } | null> {
  const row = await db().workshopMember.findFirst({
    where: { learnerId },
    orderBy: { lastJoinedAt: 'desc' },
    include: { workshop: true },
  });
  if (!row) return null;
  const { workshop, ...member } = row;
  return { member, workshop: toWorkshop(workshop) };
}

/** Learners whose current workshop is this one (a member who moved on to another is not). */
export async function currentMembers(workshopId: string): Promise<MemberRecord[]> {
  const members = await membersOf(workshopId);
  if (members.length === 0) return [];
  const later = await db().workshopMember.findMany({
    where: { learnerId: { in: members.map((member) => member.learnerId) }, workshopId: { not: workshopId } },
    select: { learnerId: true, lastJoinedAt: true },
  });
  return members.filter(
    (member) =>
      !later.some((other) => other.learnerId === member.learnerId && other.lastJoinedAt > member.lastJoinedAt),
  );
}

export async function insertMessage(message: MessageRecord): Promise<MessageRecord> {
  return db().workshopMessage.create({ data: message });
}

/** The newest messages of the workshop, oldest first. */
export async function latestMessages(workshopId: string, count: number): Promise<MessageRecord[]> {
  const rows = await db().workshopMessage.findMany({
    where: { workshopId },
    orderBy: { createdAt: 'desc' },
    take: count,
  });
  return rows.reverse();
}
