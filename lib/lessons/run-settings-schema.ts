// How an exercise may start the learner's container for a scenario: the parts of `docker run` it may set.
import { z } from 'zod';

/** How the container is started for a scenario: the parts of `docker run` an exercise may set. */
export const RunSettingsSchema = z
  .object({
    /** Environment variables, as `docker run -e`. */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
    /** `--restart`: no, on-failure[:max], always, unless-stopped. */
    restart: z
      .object({
        policy: z.enum(['no', 'on-failure', 'always', 'unless-stopped']),
        maxRetries: z.number().int().min(0).max(10).optional(),
      })
      .default({ policy: 'no' }),
    /** `--init`: run Docker's tini as PID 1 in front of the image's command. */
    init: z.boolean().default(false),
  })
  .strict();
export type RunSettings = z.infer<typeof RunSettingsSchema>;
