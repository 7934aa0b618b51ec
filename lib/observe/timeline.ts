// The record of one run: an append-only list of events that subscribers follow live. A subscriber
// that joins late (a page that reconnects) replays from any position and then follows, so it neither
// misses nor repeats an event.
import { log } from '../log';
import type { NewEvent, TimelineEvent } from './timeline-event';

/** Called for each event appended after subscribing. */
export type TimelineListener = (event: TimelineEvent) => void;

/** The append-only, observable record of a run. */
export class Timeline {
  readonly startedAt: number;
  private readonly list: TimelineEvent[] = [];
  private readonly listeners = new Set<TimelineListener>();
  private closed = false;
  private readonly closeWaiters = new Set<() => void>();

  constructor(startedAt = Date.now()) {
    this.startedAt = startedAt;
  }

  /** Milliseconds since the run began. */
  now(): number {
    return Date.now() - this.startedAt;
  }

  /** Appends an event stamped with the next seq and the current offset, and tells every listener. */
  add(event: NewEvent, at: number = this.now()): TimelineEvent {
    if (this.closed) throw new Error(`timeline is closed; cannot add ${event.type}`);
    const stamped = { ...event, seq: this.list.length, t: Math.max(0, Math.round(at)) } as TimelineEvent;
    this.list.push(stamped);
    for (const listener of this.listeners) {
      try {
        listener(stamped);
      } catch (error) {
        log.error('Timeline listener failed', { error: String(error) });
      }
    }
    return stamped;
  }

  /** All events so far (a copy). */
  events(): TimelineEvent[] {
    return [...this.list];
  }

  get length(): number {
    return this.list.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Follows new events until the returned function is called. */
  subscribe(listener: TimelineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** No more events will come; live iterators finish. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.closeWaiters) wake();
    this.closeWaiters.clear();
  }

  /**
   * Events from `fromSeq` on: those already recorded, then each new one as it comes, until close or
   * until `signal` aborts (a page that went away).
   */
  async *follow(fromSeq = 0, signal?: AbortSignal): AsyncGenerator<TimelineEvent> {
    let next = Math.max(0, fromSeq);
    let wake: (() => void) | null = null;
    const unsubscribe = this.subscribe(() => wake?.());
    const onClose = () => wake?.();
    this.closeWaiters.add(onClose);
    signal?.addEventListener('abort', onClose);
    try {
      for (;;) {
        while (next < this.list.length && !signal?.aborted) yield this.list[next++];
        if (this.closed || signal?.aborted) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      unsubscribe();
      this.closeWaiters.delete(onClose);
      signal?.removeEventListener('abort', onClose);
    }
  }
}
