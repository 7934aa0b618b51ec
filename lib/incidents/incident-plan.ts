// An incident, planned from a seed: why the container will stop, the files of its image, how it is
// run, and what the lab must then observe. The same seed always gives the same plan; the details
// (file names, messages, codes, limits) vary from seed to seed so that answers cannot be memorised.
import { configErrorApp } from './apps/config-error-app';
import { crashedApp } from './apps/crashed-app';
import { killedBySignalApp } from './apps/killed-by-signal-app';
import { oomKilledApp } from './apps/oom-killed-app';
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
};

/** Seeds are whole numbers in this range (the CLI's --seed, the database's column). */
export const MAX_SEED = 2_147_483_647;

/** The plan of the incident of `seed`. */
export function planIncident(seed: number): IncidentPlan {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new Error(`a seed is a whole number from 0 to ${MAX_SEED}, not ${seed}`);
  const random = new SeededRandom(seed);
  const cause = random.pick(CAUSES);
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
