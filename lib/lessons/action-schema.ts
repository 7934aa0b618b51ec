// The steps of a scenario: what the lab does to the learner's container, or waits for, in order.
import { z } from 'zod';
import { IdSchema, ProcessMatcherSchema, RegexSchema, SignalSchema } from './schema-primitives';

/** One step of a scenario; every step gets an id (given or generated) that checks can refer to. */
export const ActionSchema = z.discriminatedUnion('do', [
  /** Wait until a process whose command line matches `match` runs (with `new`, one that was not there when the step began). */
  z.object({
    do: z.literal('wait-for-process'),
    id: IdSchema.optional(),
    match: ProcessMatcherSchema,
    new: z.boolean().default(false),
    timeoutMs: z.number().int().positive().max(30_000),
  }).strict(),
  /** Wait until the container writes a line matching `match` (on stdout or stderr): "the server is listening". */
  z.object({
    do: z.literal('wait-for-output'),
    id: IdSchema.optional(),
    match: RegexSchema,
    timeoutMs: z.number().int().positive().max(30_000),
  }).strict(),
  /** Send a signal to the process matching `match` (or to PID 1 with `pid1: true`), as `kill -s`. */
  z.object({
    do: z.literal('signal'),
    id: IdSchema.optional(),
    signal: SignalSchema,
    match: ProcessMatcherSchema.optional(),
    pid1: z.boolean().default(false),
  }).strict().refine((a) => a.pid1 !== Boolean(a.match), { message: 'give either match or pid1: true' }),
  /** `docker stop -t <timeoutSec>`: SIGTERM to PID 1, SIGKILL after the timeout. */
  z.object({ do: z.literal('stop'), id: IdSchema.optional(), timeoutSec: z.number().int().min(0).max(30) }).strict(),
  /** Wait until the container has exited and Docker will not restart it. */
  z.object({ do: z.literal('wait-for-exit'), id: IdSchema.optional(), timeoutMs: z.number().int().positive().max(60_000) }).strict(),
  /** Wait until Docker has restarted the container at least `count` times in this scenario. */
  z.object({
    do: z.literal('wait-for-restart'),
    id: IdSchema.optional(),
    count: z.number().int().min(1).default(1),
    timeoutMs: z.number().int().positive().max(60_000),
  }).strict(),
  /** Let time pass. */
  z.object({ do: z.literal('wait'), id: IdSchema.optional(), ms: z.number().int().positive().max(30_000) }).strict(),
  /** Run a command inside the container (`docker exec`) and record its exit code and output. */
  z.object({
    do: z.literal('exec'),
    id: IdSchema.optional(),
    command: z.array(z.string()).min(1),
    timeoutMs: z.number().int().positive().max(30_000).default(5_000),
  }).strict(),
]);
export type Action = z.infer<typeof ActionSchema>;

/** The id a step is known by: its own, or step-N (N from 1). */
export function stepId(action: Action, index: number): string {
  return action.id ?? `step-${index + 1}`;
}
