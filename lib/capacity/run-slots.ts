// Admission control: at most `size` runs build and run at once; the others wait, served in turn by
// owner (fair across learners), each told its place and an estimate whenever its place changes.
// Timing checks ("stops within 2 s") stay fair when many runs start together, and the machine stays
// responsive. Past `maxWaiting` a new run is refused at once (CapacityError): never a hang.
import { RetryLaterError } from '../http/http-error';
import { FairQueue } from './fair-queue';
import { RunDurations, estimateStarts } from './wait-estimate';

/** A waiting run's place in the queue. */
export interface QueuePlace {
  /** 1 = next to start. */
  position: number;
  /** Estimated wait until it starts, in ms, from recent runs. */
  estimateMs: number;
}

/** The queue is full: the run is refused with the queue's length and when to try again. */
export class CapacityError extends RetryLaterError {
  constructor(
    readonly waiting: number,
    retryAfterMs: number,
  ) {
    super(
      503,
      `the lab is at capacity: ${waiting} run${waiting === 1 ? '' : 's'} waiting, try again in ~${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`,
      retryAfterMs,
    );
  }
}

/** A run that waited for a slot was cancelled before it got one. */
export class SlotCancelledError extends Error {
  constructor() {
    super('the run was cancelled while it waited for a slot');
  }
}

/** One run's claim on a slot: granted at once, or after waiting its turn. */
export interface SlotTicket {
  /** Resolves with the function that gives the slot back; rejects with SlotCancelledError. */
  readonly granted: Promise<() => void>;
  /** Hears the run's place while it waits: at once (if it waits now), then each time the position changes. */
  onQueued(listener: (place: QueuePlace) => void): void;
  /** Leaves the queue, or gives the slot back if it was granted. */
  cancel(): void;
}

interface Waiter {
  owner: string;
  grant: () => void;
  cancel: () => void;
  place?: QueuePlace;
  listener?: (place: QueuePlace) => void;
}

/** How long runs waited for a slot lately, and whether the machine keeps up with them. */
export interface QueueWaits {
  /** Runs that got a slot in the window (those that did not wait count, with 0). */
  runs: number;
  p95Ms: number;
  windowMs: number;
  /** Estimated ms until the last run waiting now gets a slot (0 with none waiting). */
  drainMs: number;
}

/** Waits kept for the summary: the last this many runs. */
const WAITS_KEPT = 500;

/** What the slots are doing. */
export interface SlotLoad {
  size: number;
  active: number;
  waiting: number;
  maxWaiting: number;
}

/** A fair, bounded semaphore for runs. */
export class RunSlots {
  private readonly holders = new Set<{ since: number }>();
  private readonly queue = new FairQueue<Waiter>();
  readonly maxWaiting: number;
  private readonly durations: RunDurations;
  /** When recent runs got their slot and how long they had waited for it, oldest first. */
  private readonly waits: { at: number; ms: number }[] = [];

  constructor(
    readonly size: number,
    options: { maxWaiting?: number; durations?: RunDurations } = {},
  ) {
    if (!(size >= 1)) throw new Error(`run slots must be at least 1, not ${size}`);
    this.maxWaiting = options.maxWaiting ?? Infinity;
    this.durations = options.durations ?? new RunDurations();
  }

  /** Runs in progress and runs waiting. */
  get load(): SlotLoad {
    return { size: this.size, active: this.holders.size, waiting: this.queue.size, maxWaiting: this.maxWaiting };
  }

  /** The 95th percentile wait for a slot of the runs that got one in the last `windowMs`. */
  queueWaits(windowMs = 300_000, now = Date.now()): QueueWaits {
    const recent = this.waits
      .filter((wait) => now - wait.at <= windowMs)
      .map((wait) => wait.ms)
      .sort((a, b) => a - b);
    const p95Ms = recent.length ? recent[Math.min(recent.length - 1, Math.ceil(0.95 * recent.length) - 1)] : 0;
    const drainMs = this.queue.size ? Math.round(this.startEstimates(this.queue.size).at(-1) ?? 0) : 0;
    return { runs: recent.length, p95Ms, windowMs, drainMs };
  }

  private noteWait(ms: number): void {
    this.waits.push({ at: Date.now(), ms });
    if (this.waits.length > WAITS_KEPT) this.waits.shift();
  }

  /** Throws CapacityError if a run claiming a slot now would have to wait and the queue is full. */
  assertRoom(): void {
    if (this.hasFreeSlot()) return;
    if (this.queue.size >= this.maxWaiting) throw new CapacityError(this.queue.size, this.startEstimates(1)[0]);
  }

  /**
   * Claims a slot for `owner` (a learner, or a tool). Synchronous, so that a caller can check and
   * claim with nothing in between; throws CapacityError when it would have to wait and the queue is full.
   */
  enqueue(owner: string, signal?: AbortSignal): SlotTicket {
    if (this.hasFreeSlot()) {
      const release = this.take();
      this.noteWait(0);
      return { granted: Promise.resolve(release), onQueued: () => undefined, cancel: release };
    }
    const queuedAt = Date.now();
    this.assertRoom();
    let resolve!: (release: () => void) => void;
    let reject!: (error: Error) => void;
    const granted = new Promise<() => void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    granted.catch(() => undefined); // a ticket nobody awaits must not fail the process
    let release: (() => void) | null = null;
    const onAbort = () => waiter.cancel();
    const waiter: Waiter = {
      owner,
      grant: () => {
        signal?.removeEventListener('abort', onAbort);
        this.noteWait(Date.now() - queuedAt);
        release = this.take();
        resolve(release);
      },
      cancel: () => {
        signal?.removeEventListener('abort', onAbort);
        if (release) return release();
        if (this.queue.remove(waiter)) {
          reject(new SlotCancelledError());
          this.announce();
        }
      },
    };
    if (signal?.aborted) {
      reject(new SlotCancelledError());
    } else {
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(owner, waiter);
      this.announce();
    }
    return {
      granted,
      onQueued: (listener) => {
        waiter.listener = listener;
        if (waiter.place && !release) listener(waiter.place);
      },
      cancel: () => waiter.cancel(),
    };
  }

  /** Waits for a slot; `onQueued` hears the run's place while it waits. */
  async acquire(owner: string, signal?: AbortSignal, onQueued?: (place: QueuePlace) => void): Promise<() => void> {
    const ticket = this.enqueue(owner, signal);
    if (onQueued) ticket.onQueued(onQueued);
    return ticket.granted;
  }

  private hasFreeSlot(): boolean {
    return this.holders.size < this.size && this.queue.size === 0;
  }

  /** Estimated ms until each of the next `count` waiting runs starts. */
  private startEstimates(count: number): number[] {
    const now = Date.now();
    return estimateStarts(
      this.size,
      [...this.holders].map((holder) => now - holder.since),
      this.durations.typical(),
      count,
    );
  }

  private take(): () => void {
    const holder = { since: Date.now() };
    this.holders.add(holder);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders.delete(holder);
      this.durations.record(Date.now() - holder.since);
      this.queue.shift()?.grant();
      this.announce();
    };
  }

  /** Tells each waiting run whose position changed its new place. */
  private announce(): void {
    const order = this.queue.order();
    const starts = this.startEstimates(order.length);
    order.forEach((waiter, index) => {
      if (waiter.place?.position === index + 1) return;
      waiter.place = { position: index + 1, estimateMs: Math.round(starts[index]) };
      waiter.listener?.(waiter.place);
    });
  }
}
