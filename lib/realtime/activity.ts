// What learners do, as it happens, for whoever follows a room (the instructor's dashboard): a run
// started or finished, a draft saved, a sandbox reset, a hint or the solution opened. The records are in
// the database; this only says when to look again. One per process (lib/services.ts); where the lab runs
// as several cells on one PostgreSQL database, it is relayed between them (cell-bus.ts).
import type { CellRelay } from './cell-bus';

export interface LearnerActivity {
  learnerId: string;
  /** help: a step of a graded hint or the solution opened. */
  kind: 'run-start' | 'run-end' | 'draft' | 'join' | 'reset' | 'terminal' | 'help';
  exerciseId?: string;
  /** Epoch ms. */
  at: number;
}

type Listener = (activity: LearnerActivity) => void;

export class ActivityBus {
  private readonly listeners = new Set<Listener>();

  /** With a relay, activity of the other cells is heard here too, and this cell's is told to them. */
  constructor(private readonly relay?: CellRelay) {
    relay?.on('activity', (body) => this.deliver(body as LearnerActivity));
  }

  emit(activity: Omit<LearnerActivity, 'at'>): void {
    const stamped = { ...activity, at: Date.now() };
    this.deliver(stamped);
    this.relay?.publish('activity', stamped);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private deliver(activity: LearnerActivity): void {
    for (const listener of this.listeners) {
      try {
        listener(activity);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }
}
