// The learner's own workshop, as their pages show it: its title and state, its exercises in order with
// where the learner stands on each (the same cells the instructor's dashboard shows of them), and the
// instructor's latest messages. Only ever the workshop of the learner who asks.
import { roomRows } from '../db/room-store';
import { currentMembership, latestMessages, type MessageRecord } from '../db/workshop-store';
import { findExercise } from '../lessons/curriculum';
import { buildDashboard, type CellState } from './dashboard';
import type { MessageView } from './workshop-events';
import { WORKSHOP_POLICY } from './workshop-policy';
import { workshopState, type WorkshopState } from './workshop-state';
import { services } from '../services';

/** GET /api/workshop: the learner's current workshop. */
export interface LearnerWorkshopView {
  id: string;
  title: string;
  state: WorkshopState;
  /** ISO times, or null. */
  startsAt: string | null;
  endsAt: string | null;
  endedAt: string | null;
  /** The name the learner joined with. */
  displayName: string;
  exercises: { id: string; title: string; href: string; state: CellState; attempts: number }[];
  /** The newest messages, oldest first. */
  messages: MessageView[];
}

/** A message as pages show it. */
export function messageView(message: MessageRecord): MessageView {
  return { id: message.id, text: message.text, createdAt: message.createdAt.toISOString() };
}

/** The title of an exercise of the curriculum (its id if it has gone since the workshop was made). */
export function exerciseTitle(id: string): string {
  return findExercise(id)?.spec.title ?? id;
}

/** The learner's current workshop, or null when they are in none (self-paced). */
export async function learnerWorkshop(learnerId: string, now = new Date()): Promise<LearnerWorkshopView | null> {
  const current = await currentMembership(learnerId);
  if (!current) return null;
  const { workshop, member } = current;
  const [rows, messages] = await Promise.all([
    roomRows(workshop.id, workshop.exerciseIds, learnerId),
    latestMessages(workshop.id, WORKSHOP_POLICY.messagesShown),
  ]);
  const active = services().runHub.activeFor(learnerId);
  const room = buildDashboard({
    exercises: workshop.exerciseIds.map((id) => ({ id, title: exerciseTitle(id) })),
    ...rows,
    running: new Set(active ? [`${learnerId} ${active.exerciseId}`] : []),
    now: now.getTime(),
    idleMs: Infinity,
    repeatedFailures: Infinity,
  });
  const cells = room.learners[0]?.cells ?? {};
  return {
    id: workshop.id,
    title: workshop.title,
    state: workshopState(workshop, now),
    startsAt: workshop.startsAt?.toISOString() ?? null,
    endsAt: workshop.endsAt?.toISOString() ?? null,
    endedAt: workshop.endedAt?.toISOString() ?? null,
    displayName: member.displayName,
    exercises: workshop.exerciseIds.map((id) => ({
      id,
      title: exerciseTitle(id),
      href: `/exercises/${id}`,
      state: cells[id]?.state ?? 'not-started',
      attempts: cells[id]?.attempts ?? 0,
    })),
    messages: messages.map(messageView),
  };
}
