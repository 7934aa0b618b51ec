// The prediction questions of an exercise (`predictions:` in exercise.yaml): what the learner may commit
// to before pressing Run, and how the lab finds the true answer in what it observed of the run
// (lib/checks/predictions.ts). Never required: a learner may answer some, all or none.
import { z } from 'zod';
import { IdSchema, ProcessMatcherSchema } from './schema-primitives';

/**
 * How the observed answer is found, in one scenario of the run:
 * - `pid1`: which process was PID 1 at step `at` (choices name a process with `pid1`);
 * - `running`: whether the container was still running at step `at` (choices say `running: true|false`);
 * - `exit`: how the container's first exit after step `after` (or its first exit) ended: choices give the
 *   exit `codes` it had, or `stillRunning: true` for no exit by the end of the scenario;
 * - `restarts`: how many times Docker restarted the container (choices give `min` and/or `max`);
 * - `incident-pid1` (a diagnosis exercise, which runs nothing): what kind of process the lab saw as PID 1
 *   of the learner's incident (choices give `pid1Kind`).
 */
export const PredictionObservedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pid1'), scenario: IdSchema, at: IdSchema }).strict(),
  z.object({ kind: z.literal('running'), scenario: IdSchema, at: IdSchema }).strict(),
  z.object({ kind: z.literal('exit'), scenario: IdSchema, after: IdSchema.optional() }).strict(),
  z.object({ kind: z.literal('restarts'), scenario: IdSchema }).strict(),
  z.object({ kind: z.literal('incident-pid1') }).strict(),
]);
export type PredictionObserved = z.infer<typeof PredictionObservedSchema>;

/** What must be observed for a choice to be the true answer; a choice with none is "anything else". */
export const PredictionWhenSchema = z
  .object({
    pid1: ProcessMatcherSchema.optional(),
    running: z.boolean().optional(),
    codes: z.array(z.number().int().min(0).max(255)).min(1).optional(),
    stillRunning: z.literal(true).optional(),
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
    /** A shell running the CMD line, a shell running a script, an init, or the program itself. */
    pid1Kind: z.enum(['shell-form', 'script', 'init', 'program']).optional(),
  })
  .strict();
export type PredictionWhen = z.infer<typeof PredictionWhenSchema>;

/** The conditions each kind of observation reads. */
const WHEN_KEYS: Record<PredictionObserved['kind'], (keyof PredictionWhen)[]> = {
  pid1: ['pid1'],
  running: ['running'],
  exit: ['codes', 'stillRunning'],
  restarts: ['min', 'max'],
  'incident-pid1': ['pid1Kind'],
};

/** One choice: an id, the words the learner reads, and when it is what the lab saw. */
export const PredictionChoiceSchema = z
  .object({ id: IdSchema, text: z.string().min(1).max(120), when: PredictionWhenSchema.optional() })
  .strict();

/** One question. The observed answer is the first choice whose `when` holds. */
export const PredictionSpecSchema = z
  .object({
    id: IdSchema,
    question: z.string().min(1).max(200),
    choices: z.array(PredictionChoiceSchema).min(2).max(6),
    observed: PredictionObservedSchema,
  })
  .strict()
  .superRefine((spec, ctx) => {
    const ids = spec.choices.map((choice) => choice.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'choice ids must be unique' });
    const allowed = WHEN_KEYS[spec.observed.kind];
    spec.choices.forEach((choice, index) => {
      const keys = Object.keys(choice.when ?? {}) as (keyof PredictionWhen)[];
      const stray = keys.filter((key) => !allowed.includes(key));
      if (stray.length)
        ctx.addIssue({
          code: 'custom',
          path: ['choices', index, 'when'],
          message: `a ${spec.observed.kind} question's choices say ${allowed.join(' or ')}, not ${stray.join(', ')}`,
        });
      if (!keys.length && index !== spec.choices.length - 1)
        ctx.addIssue({ code: 'custom', path: ['choices', index], message: 'only the last choice may have no `when`' });
    });
  });
export type PredictionSpec = z.infer<typeof PredictionSpecSchema>;

/** A learner's answers, as sent with a run: question id -> choice id. */
export const PredictionPicksSchema = z.record(IdSchema.max(40), IdSchema.max(40)).refine(
  (picks) => Object.keys(picks).length <= 8,
  { message: 'at most 8 predictions' },
);
export type PredictionPicks = z.infer<typeof PredictionPicksSchema>;
