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
    /**
     * A Pod spec's `command`: replaces the image's ENTRYPOINT (`docker run --entrypoint`), and with it the
     * image's CMD, as Kubernetes does. `${NAME}` stands for a drawn value.
     */
    command: z.array(z.string().min(1).max(256)).min(1).max(16).optional(),
    /**
     * `--memory` (and as much swap) for this scenario, in MiB, or `${NAME}` of a drawn value: it can only
     * tighten the sandbox's limit (lib/sandbox/limits.ts), never loosen it.
     */
    memoryMb: z
      .union([z.number().int().min(16).max(256), z.string().regex(/^\$\{[A-Z][A-Z0-9_]*\}$/, 'a number or ${NAME} of a drawn value')])
      .optional(),
    /** A Pod spec's `args`: replace the image's CMD (what follows the image name in `docker run`). */
    args: z.array(z.string().max(256)).max(16).optional(),
  })
  .strict();
export type RunSettings = z.infer<typeof RunSettingsSchema>;
