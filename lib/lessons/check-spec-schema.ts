// One check of an exercise: an assertion over one scenario, with the words the learner sees.
import { z } from 'zod';
import { AssertionSchema } from './assertion-schema';
import { HintStepsSchema } from './hint-steps-schema';
import { IdSchema } from './schema-primitives';

/** One check: an assertion over one scenario, with the words the learner sees. */
export const CheckSpecSchema = z
  .object({
    id: IdSchema,
    /** What passing means, in a few words ("PID 1 is the server"). */
    title: z.string().min(1),
    scenario: IdSchema,
    assert: AssertionSchema,
    /**
     * What passing looks like, in the learner's words, shown as "Expected" in place of the lab's own
     * sentence: give one where the assertion reads a regular expression (`matches`, `lines`), which the
     * lab can only call "a line of the kind this check looks for".
     */
    expect: z.string().min(1).optional(),
    /** Shown when the check fails: a nudge, not the answer. */
    hint: z.string().min(1),
    /**
     * Hints for what PID 1 was when the check failed, chosen over `hint` when one fits: a shell, an
     * init (tini), a supervisor, a placeholder (sleep, tail), or the program itself; `signalled` for a
     * process of the container that sent the program another signal than the stop's, or a SIGKILL, or
     * left it to be killed (seen in the kernel's trace), chosen over them all.
     */
    hints: z
      .object({ shell: z.string().min(1), init: z.string().min(1), supervisor: z.string().min(1), placeholder: z.string().min(1), program: z.string().min(1), signalled: z.string().min(1) })
      .partial()
      .strict()
      .optional(),
    /** Graded hint, step 2: the idea behind the check and the lesson section that teaches it. */
    concept: HintStepsSchema.shape.concept.optional(),
    /** Graded hint, step 3: the concrete change, shown after step 2 (the solution comes after it). */
    fix: HintStepsSchema.shape.fix.optional(),
    /** A "going further" check: reported, but it does not decide pass or fail. */
    bonus: z.boolean().default(false),
    /**
     * Judged only where the kernel's signals are traced (its samples alone would guess): left out of the
     * result of a run whose scenario was not traced, not passed.
     */
    traced: z.boolean().default(false),
  })
  .strict();
export type CheckSpec = z.infer<typeof CheckSpecSchema>;
