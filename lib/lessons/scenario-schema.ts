// A scenario: one run of the learner's image, with its run settings, the values drawn for it, and its steps.
import { z } from 'zod';
import { ActionSchema } from './action-schema';
import { RunSettingsSchema } from './run-settings-schema';
import { IdSchema } from './schema-primitives';

/**
 * How the lab draws a value for each run (lib/lessons/drawn-values.ts): an integer in a range, or a token.
 * `env: false` keeps it out of the container's environment: a limit the program must find out for itself.
 */
const DrawSchema = z.union([
  z.object({ between: z.tuple([z.number().int(), z.number().int()]), except: z.array(z.number().int()).optional(), env: z.literal(false).optional() }).strict(),
  z.object({ token: z.literal(true), env: z.literal(false).optional() }).strict(),
]);

/** A run of the learner's image under one set of run settings, driven by a list of actions. */
export const ScenarioSchema = z
  .object({
    id: IdSchema,
    /** One sentence telling the learner what this scenario does to their container. */
    description: z.string().min(1),
    run: RunSettingsSchema.default({ env: {}, restart: { policy: 'no' }, init: false }),
    /**
     * Values drawn for each run, passed to the container as environment variables and standing for
     * `${NAME}` in the steps and checks of this scenario: an answer cannot hard-code them.
     */
    draw: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), DrawSchema).default({}),
    actions: z.array(ActionSchema).min(1),
  })
  .strict();
export type Scenario = z.infer<typeof ScenarioSchema>;
