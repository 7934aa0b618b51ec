// Whether the Docker engine answers, watched for the server's lifetime. The log says when it stops
// answering and when it is back; on its return, what runs could not remove while it was away is removed.
// The reaper also runs every LAB_REAP_INTERVAL_MS, so nothing a run, a terminal or a crash left outlives
// its expiry while the server runs (not only at start-up and shutdown).
import { log } from '../log';
import type { DockerEngine } from './docker-engine';
import { withEngineDeadline } from './engine-deadline';
import { reap } from './reaper';

/** The engine as the watch last saw it. */
export interface EngineWatchState {
  up: boolean;
  /** Epoch ms of the last change (or of the watch's start). */
  since: number;
  /** Times it stopped answering since the server started. */
  outages: number;
  lastError?: string;
}

const PING_DEADLINE_MS = 5_000;

export class EngineWatch {
  private current: EngineWatchState = { up: true, since: Date.now(), outages: 0 };
  private timers: NodeJS.Timeout[] = [];
  private reaping: Promise<void> | null = null;

  constructor(
    private readonly engine: DockerEngine,
    private readonly options: { pingMs: number; reapMs: number },
  ) {}

  state(): EngineWatchState {
    return { ...this.current };
  }

  start(): void {
    if (this.timers.length) return;
    this.timers.push(setInterval(() => void this.check(), this.options.pingMs).unref());
    this.timers.push(setInterval(() => void this.reap('periodic'), this.options.reapMs).unref());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Pings the engine once and records a change. */
  async check(): Promise<EngineWatchState> {
    const error = await withEngineDeadline('a ping', () => this.engine.docker.ping(), PING_DEADLINE_MS).then(
      () => null,
      (caught: unknown) => (caught instanceof Error ? caught.message : String(caught)),
    );
    const was = this.current;
    if (error && was.up) {
      this.current = { up: false, since: Date.now(), outages: was.outages + 1, lastError: error };
      log.warn('The Docker engine stopped answering', { error });
    } else if (!error && !was.up) {
      this.current = { up: true, since: Date.now(), outages: was.outages };
      log.info('The Docker engine answers again', { downMs: Date.now() - was.since });
      await this.reap('engine back');
    } else if (error) this.current = { ...was, lastError: error };
    return this.state();
  }

  /** One reap at a time; skipped while the engine is down (the return triggers one). */
  reap(why: string): Promise<void> {
    if (!this.current.up) return Promise.resolve();
    this.reaping ??= (async () => {
      try {
        const removed = await this.engine.retryRemovals();
        const report = await reap(this.engine.docker, 'orphans');
        if (removed || report.containers.length || report.images.length)
          log.info('Reaped', { why, removedAfterOutage: removed, containers: report.containers.length });
      } catch (error) {
        log.warn('A reap failed; the next one tries again', { why, error: String(error) });
      } finally {
        this.reaping = null;
      }
    })();
    return this.reaping;
  }
}
