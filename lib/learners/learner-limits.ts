// How often one learner may start runs and write, from the settings: a sliding minute per learner.
// A learner past a limit gets a 429 that says which limit and when to try again (Retry-After).
import type { Config } from '../config';
import { memoryRateLimiters, takeOrRefuse, type RateLimiter, type RateLimiterFactory } from '../http/rate-limiter';

/** What a learner does that costs the lab: starting a run (or staging an incident), or another write. */
export type LearnerAction = 'run' | 'write';

const MINUTE_MS = 60_000;

/** The per-learner limits of one lab server (lib/services.ts makes one). */
export class LearnerRateLimits {
  private readonly limiters: Record<LearnerAction, RateLimiter>;

  /** `limiters` makes them: in memory by default, shared with the other cells with LAB_CELL. */
  constructor(
    settings: Pick<Config, 'LAB_RUNS_PER_MINUTE' | 'LAB_WRITES_PER_MINUTE'>,
    limiters: RateLimiterFactory = memoryRateLimiters,
  ) {
    this.limiters = {
      run: limiters('learner-runs', { max: settings.LAB_RUNS_PER_MINUTE, windowMs: MINUTE_MS }),
      write: limiters('learner-writes', { max: settings.LAB_WRITES_PER_MINUTE, windowMs: MINUTE_MS }),
    };
  }

  /** Counts the action against the learner's limit, or throws a 429 with when to try again. */
  async take(action: LearnerAction, learnerId: string): Promise<void> {
    const limiter = this.limiters[action];
    const what = action === 'run' ? 'runs' : 'changes saved';
    await takeOrRefuse(limiter, learnerId, `too many ${what}: at most ${limiter.limit.max} a minute per learner`);
  }
}
