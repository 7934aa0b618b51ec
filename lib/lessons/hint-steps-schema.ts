// The later steps of a check's graded hint: the idea behind it, with the lesson section that teaches
// it, then the concrete fix. The first step is the check's own `hint` with what was observed.
import { z } from 'zod';

/** `<lesson-slug>#<heading-id>`: a section of a lesson, such as `pid1-signals#pid-1-is-special`. */
export const SectionRefSchema = z.string().regex(/^[a-z0-9-]+#[a-z0-9-]+$/, 'a lesson section: <lesson-slug>#<heading-id>');

/** Step 2 and 3 of a graded hint. */
export const HintStepsSchema = z
  .object({
    /** The idea the check is about, in two or three sentences, and where the lessons teach it. */
    concept: z.object({ section: SectionRefSchema, text: z.string().min(1) }).strict(),
    /** What to change, concretely: the line to write or the flag to use, not the whole solution. */
    fix: z.string().min(1),
  })
  .strict();
export type HintSteps = z.infer<typeof HintStepsSchema>;
