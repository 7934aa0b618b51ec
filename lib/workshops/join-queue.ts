// Joins of one workshop are taken one at a time, so that two learners who join at the same moment
// cannot both take its last place. One lab server orders them in its memory (MemoryJoinQueue); the
// cells of a lab of several take turns through PostgreSQL (postgres-join-queue.ts).

/** Runs the joins of each workshop one at a time. */
export interface JoinQueue {
  /** Runs `task` once no other join of `workshopId` is running; settles as `task` does. */
  run<T>(workshopId: string, task: () => Promise<T>): Promise<T>;
}

/** The joins of one lab server's workshops, chained in its memory per workshop. */
export class MemoryJoinQueue implements JoinQueue {
  /** The join in progress per workshop: the next waits for it. */
  private readonly queue = new Map<string, Promise<unknown>>();

  run<T>(workshopId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queue.get(workshopId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.queue.set(workshopId, next);
    // The last join of a workshop leaves no entry behind.
    void next
      .catch(() => undefined)
      .finally(() => this.queue.get(workshopId) === next && this.queue.delete(workshopId));
    return next;
  }
}
