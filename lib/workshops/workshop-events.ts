// What happens to a workshop that its learners' pages show at once: a message from the instructor,
// joining locked or unlocked, the workshop ended or reopened, a learner's sandbox reset. One bus per
// process (lib/services.ts), relayed between the cells of a lab on PostgreSQL (realtime/cell-bus.ts).
import { RECONNECTED, type CellRelay } from '../realtime/cell-bus';
import type { WorkshopState } from './workshop-state';

/** A message as pages show it. */
export interface MessageView {
  id: string;
  text: string;
  /** ISO time. */
  createdAt: string;
}

/** One event of a workshop. `reset` concerns one learner only; `solutions`: held back or released. */
export type WorkshopEvent =
  | { type: 'message'; message: MessageView }
  | { type: 'state'; state: WorkshopState }
  | { type: 'reset'; learnerId: string }
  | { type: 'solutions'; held: boolean }
  /** This cell's relay was away: events of other cells may have been missed, read the workshop again. */
  | { type: 'resync' };

type Listener = (event: WorkshopEvent) => void;

export class WorkshopEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** With a relay, a workshop's events from the other cells are heard here, and this cell's are told to them. */
  constructor(private readonly relay?: CellRelay) {
    relay?.on('workshop', (body) => {
      const { workshopId, event } = body as { workshopId: string; event: WorkshopEvent };
      this.deliver(workshopId, event);
    });
    relay?.on(RECONNECTED, () => {
      for (const workshopId of this.listeners.keys()) this.deliver(workshopId, { type: 'resync' });
    });
  }

  emit(workshopId: string, event: WorkshopEvent): void {
    this.deliver(workshopId, event);
    this.relay?.publish('workshop', { workshopId, event });
  }

  private deliver(workshopId: string, event: WorkshopEvent): void {
    for (const listener of this.listeners.get(workshopId) ?? []) {
      try {
        listener(event);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }

  /** Calls `listener` with each event of the workshop until the returned function is called. */
  subscribe(workshopId: string, listener: Listener): () => void {
    const set = this.listeners.get(workshopId) ?? new Set();
    set.add(listener);
    this.listeners.set(workshopId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(workshopId) === set) this.listeners.delete(workshopId);
    };
  }
}
