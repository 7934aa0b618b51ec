// How often one learner may start runs and write, from the settings: a sliding minute per learner.
// A learner past a limit gets a 429 that says which limit and when to try again (Retry-After).
import { loadConfig } from '../config';
import { RateLimiter, takeOrRefuse } from '../http/rate-limiter';

/** What a learner does that costs the lab: starting a run (or staging an incident), or another write. */
export type LearnerAction = 'run' | 'write';

const MINUTE_MS = 60_000;

interface Limiters {
  run: RateLimiter;
  write: RateLimiter;
}

const holder = globalThis as unknown as { __labLearnerLimits?: Limiters };

function limiters(): Limiters {
  if (!holder.__labLearnerLimits) {
    const config = loadConfig();
    holder.__labLearnerLimits = {
      run: new RateLimiter({ max: config.LAB_RUNS_PER_MINUTE, windowMs: MINUTE_MS }),
      write: new RateLimiter({ max: config.LAB_WRITES_PER_MINUTE, windowMs: MINUTE_MS }),
    };
  }
  return holder.__labLearnerLimits;
}

/** Counts the action against the learner's limit, or throws a 429 with when to try again. */
export function limitLearner(action: LearnerAction, learnerId: string): void {
  const limiter = limiters()[action];
  const what = action === 'run' ? 'runs' : 'changes saved';
  takeOrRefuse(limiter, learnerId, `too many ${what}: at most ${limiter.limit.max} a minute per learner`);
}
