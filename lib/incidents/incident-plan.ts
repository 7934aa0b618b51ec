// An incident, planned from a seed: why the container will stop, the files of its image, how it is
// run, and what the lab must then observe. The same seed always gives the same plan; the details
// (file names, messages, codes, limits) vary from seed to seed so that answers cannot be memorised.
import { commandNotRunnableApp } from './apps/command-not-runnable-app';
import { configErrorApp } from './apps/config-error-app';
import { crashedApp } from './apps/crashed-app';
import { daemonizedApp } from './apps/daemonized-app';
import { killedBySignalApp } from './apps/killed-by-signal-app';
import { oomKilledApp } from './apps/oom-killed-app';
import { stopTimedOutApp } from './apps/stop-timed-out-app';
import { swallowedExitApp } from './apps/swallowed-exit-app';
import type { AppDetails, AppPlan } from './apps/app-parts';
import { CAUSES, type Cause } from './causes';
import { SeededRandom } from './seeded-random';

/** Everything needed to stage one incident, and what staging it must show. */
export interface IncidentPlan extends AppPlan {
  seed: number;
  cause: Cause;
  /** The image version the learner sees: `my-api:<version>`. */
  version: string;
}

const MAKERS: Record<Cause, (random: SeededRandom, app: AppDetails) => AppPlan> = {
  'config-error': configErrorApp,
  crashed: crashedApp,
  'exit-code-swallowed': swallowedExitApp,
  'oom-killed': oomKilledApp,
  'killed-by-signal': killedBySignalApp,
  'command-not-runnable': commandNotRunnableApp,
  daemonized: daemonizedApp,
  'stop-timed-out': stopTimedOutApp,
};

/** The causes of the first catalogue, drawn from the seed's own stream as they always were. */
const FIRST_CAUSES: readonly Cause[] = [
  'config-error',
  'crashed',
  'exit-code-swallowed',
  'oom-killed',
  'killed-by-signal',
];
/** Causes added later, each as likely as a first one. */
const LATER_CAUSES: readonly Cause[] = CAUSES.filter((cause) => !FIRST_CAUSES.includes(cause));

/** Sets the second stream apart from the seed's own (any constant would do; this one keeps the seeds the docs name). */
const LATER_STREAM = 0x5f3759df;

/**
 * The cause of a seed. A second stream decides whether the seed stages one of the later causes; a seed
 * that does not keeps the incident it staged before they were added (its recorded incidents, the seeds
 * the docs and the lessons' cases name).
 */
function causeOf(seed: number, random: SeededRandom): Cause {
  const first = random.pick(FIRST_CAUSES);
  const later = new SeededRandom((seed ^ LATER_STREAM) >>> 0);
  return later.next() < LATER_CAUSES.length / CAUSES.length ? later.pick(LATER_CAUSES) : first;
}

/** Seeds are whole numbers in this range (the CLI's --seed, the database's column). */
export const MAX_SEED = 2_147_483_647;

/** The plan of the incident of `seed`. */
export function planIncident(seed: number): IncidentPlan {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new Error(`a seed is a whole number from 0 to ${MAX_SEED}, not ${seed}`);
  const random = new SeededRandom(seed);
  const cause = causeOf(seed, random);
  const version = `${random.int(1, 3)}.${random.int(0, 9)}.${random.int(0, 12)}`;
  const app: AppDetails = {
    name: 'my-api',
    version,
    file: random.pick(['server.js', 'api.js', 'index.js', 'app.js', 'main.js']),
    port: random.pick([3000, 4000, 8000, 8080]),
    // Long enough for the lab to see PID 1 in the process tree, short enough not to keep anyone waiting.
    failAfterMs: random.int(900, 1600),
  };
  return { seed, cause, version, ...MAKERS[cause](random, app) };
}
