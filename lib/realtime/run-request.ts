// What a page sends to start a run, validated at the boundary.
import { z } from 'zod';
import { CONTEXT_LIMITS } from '../sandbox/limits';

/** POST /api/runs. */
export const StartRunSchema = z
  .object({
    exerciseId: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'an exercise id such as main-process-exit/pid1'),
    files: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            content: z.string().max(CONTEXT_LIMITS.maxFileBytes, `at most ${CONTEXT_LIMITS.maxFileBytes} characters per file`),
          })
          .strict(),
      )
      .max(CONTEXT_LIMITS.maxFiles, `at most ${CONTEXT_LIMITS.maxFiles} files`),
  })
  .strict();
export type StartRun = z.infer<typeof StartRunSchema>;
