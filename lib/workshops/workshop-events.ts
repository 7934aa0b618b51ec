// What happens to a workshop that its learners' pages show at once: a message from the instructor,
// joining locked or unlocked, the workshop ended or reopened, a learner's sandbox reset. In-process
// (one lab server): one bus per process (lib/services.ts).
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
  | { type: 'solutions'; held: boolean };

type Listener = (event: WorkshopEvent) => void;

export class WorkshopEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  emit(workshopId: string, event: WorkshopEvent): void {
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
