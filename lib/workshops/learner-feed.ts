// What a learner's page hears of their workshop, as it happens: the whole view first, then the
// instructor's messages, the workshop's state (locked, ended, reopened...), a reset of this learner's
// sandbox, and the view again shortly after the learner's own runs start or end (their progress).
import { learnerWorkshop, type LearnerWorkshopView } from './learner-workshop';
import { type MessageView, type WorkshopEvent } from './workshop-events';
import type { WorkshopState } from './workshop-state';
import { services } from '../services';

/** One item of the feed. */
export type LearnerFeedItem =
  | { event: 'workshop'; data: LearnerWorkshopView }
  | { event: 'message'; data: MessageView }
  | { event: 'state'; data: { state: WorkshopState } }
  | { event: 'reset'; data: Record<string, never> }
  | { event: 'solutions'; data: { held: boolean } };

/** How long after the learner's activity the view is read again (activity close together counts once). */
const SETTLE_MS = 300;

/**
 * Calls `send` with the feed of the learner's workshop `workshopId` until `signal` aborts. Subscribes
 * before reading the view, so that nothing between the two is lost.
 */
export async function followLearnerWorkshop(
  learnerId: string,
  workshopId: string,
  send: (item: LearnerFeedItem) => void,
  signal: AbortSignal,
): Promise<void> {
  const pending: WorkshopEvent[] = [];
  let forward = (event: WorkshopEvent) => void pending.push(event);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sendView = async () => {
    const view = await learnerWorkshop(learnerId).catch(() => null);
    if (view && view.id === workshopId && !signal.aborted) send({ event: 'workshop', data: view });
  };
  const unsubscribe = [
    services().workshopEvents.subscribe(workshopId, (event) => forward(event)),
    services().activity.subscribe((event) => {
      if (event.learnerId !== learnerId || !['run-start', 'run-end', 'draft'].includes(event.kind) || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void sendView();
      }, SETTLE_MS);
    }),
  ];
  signal.addEventListener('abort', () => {
    unsubscribe.forEach((stop) => stop());
    clearTimeout(timer);
  });
  await sendView();
  forward = (event) => {
    if (signal.aborted) return;
    if (event.type === 'resync') void sendView();
    else if (event.type === 'message') send({ event: 'message', data: event.message });
    else if (event.type === 'state') send({ event: 'state', data: { state: event.state } });
    else if (event.type === 'solutions') send({ event: 'solutions', data: { held: event.held } });
    else if (event.learnerId === learnerId) send({ event: 'reset', data: {} });
  };
  pending.splice(0).forEach(forward);
}
