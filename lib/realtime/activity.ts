// What learners do, as it happens, for whoever follows a room (the instructor's dashboard): a run
// started or finished, a draft saved, a sandbox reset, a hint or the solution opened. In-process and in-memory: the records are in
// the database; this only says when to look again. One per process (lib/services.ts).
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

  emit(activity: Omit<LearnerActivity, 'at'>): void {
    const stamped = { ...activity, at: Date.now() };
    for (const listener of this.listeners) {
      try {
        listener(stamped);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
