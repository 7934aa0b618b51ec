// What a check asserts over the recorded timeline of one scenario: each kind of assertion and its fields.
import { z } from 'zod';
import { IdSchema, ProcessMatcherSchema, ProgramSpecSchema, RegexSchema, SignalSchema } from './schema-primitives';

const at = IdSchema.describe('the id of a scenario step: the state observed when that step finished');
/** An exit code, or `${NAME}`: a value the scenario draws. */
const exitCode = z.union([z.number().int(), z.string().regex(/^\$\{[A-Z][A-Z0-9_]*\}$/, 'a number or ${NAME} of a drawn value')]);

/** What a check asserts over the recorded timeline of one scenario. */
export const AssertionSchema = z.discriminatedUnion('type', [
  /** PID 1's command line matches `matches` at step `at`. */
  z.object({ type: z.literal('pid1-command'), matches: ProcessMatcherSchema, at }).strict(),
  /**
   * PID 1 runs `program` and its arguments (what follows the script for an interpreter, the executable
   * otherwise) are exactly `args`, as read from its argv: the operator's args reached the program itself.
   */
  z.object({ type: z.literal('pid1-args'), program: ProgramSpecSchema, args: z.array(z.string()), at }).strict(),
  /** A process matching `matches` is running (not a zombie) at step `at`. */
  z.object({ type: z.literal('process-present'), matches: ProcessMatcherSchema, at }).strict(),
  /** No process matching `matches` runs at step `at`. */
  z.object({ type: z.literal('process-absent'), matches: ProcessMatcherSchema, at }).strict(),
  /**
   * PID 1 runs alone at step `at`: no other process (zombies aside). The program Docker started does
   * the work itself, not a stand-in that keeps a child doing it under another name.
   */
  z.object({ type: z.literal('pid1-alone'), at }).strict(),
  /** A process matching `child` is a direct child of the process matching `parent` (or of PID 1) at step `at`. */
  z.object({
    type: z.literal('child-of'),
    child: ProcessMatcherSchema,
    parent: ProcessMatcherSchema.optional(),
    parentPid1: z.boolean().default(false),
    at,
  }).strict(),
  /** The container is running (PID 1 alive) at step `at`. */
  z.object({ type: z.literal('running-at'), at }).strict(),
  /** The container exited within `withinMs` after step `after` began, optionally with one of `codes`. */
  z.object({
    type: z.literal('exited-within'),
    after: IdSchema,
    withinMs: z.number().int().positive(),
    codes: z.array(exitCode).optional(),
  }).strict(),
  /** Exit codes recorded in the scenario: every one (`all`), the first or the last equals / is in `codes`, or is non-zero. */
  z.object({
    type: z.literal('exit-code'),
    which: z.enum(['all', 'first', 'last']).default('last'),
    codes: z.array(exitCode).optional(),
    nonZero: z.boolean().default(false),
  }).strict(),
  /** Docker restarted the container between `min` and `max` times. */
  z.object({
    type: z.literal('restart-count'),
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
  }).strict(),
  /** A line of the given stream matches `matches`, optionally within `withinMs` of the first start. */
  z.object({
    type: z.literal('output-contains'),
    stream: z.enum(['stdout', 'stderr', 'any']).default('stdout'),
    matches: RegexSchema,
    withinMs: z.number().int().positive().optional(),
  }).strict(),
  /**
   * The container's filesystem diff has no added or changed path matching `pattern`: in any diff taken
   * (a file removed on the way out was still written), or with `atEnd`, in the last one (still there).
   */
  z.object({ type: z.literal('no-file-created'), pattern: RegexSchema, atEnd: z.boolean().optional() }).strict(),
  /**
   * No file the container wrote, anywhere, is a PID file: named like one (`*.pid`, `pidfile`), or
   * holding nothing but the PID of a process the lab saw in the container.
   */
  z.object({ type: z.literal('no-pid-file') }).strict(),
  /**
   * No file the container wrote, anywhere, is a log file: named like one (`*.log`, anything under
   * /var/log), or holding a line of the app's log (`lines`, matched against each line of the file).
   */
  z.object({ type: z.literal('no-log-file'), lines: RegexSchema.optional() }).strict(),
  /** A new process matching `matches` appeared within `withinMs` after step `after`. */
  z.object({
    type: z.literal('process-respawned'),
    matches: ProcessMatcherSchema,
    after: IdSchema,
    withinMs: z.number().int().positive(),
  }).strict(),
  /**
   * The stop signal reached `program` itself when step `after` (a stop or a signal to PID 1) began: it
   * was PID 1, or, where the kernel's signals are traced, it got the very signal Docker sent PID 1 from
   * whichever process passed it on (not SIGKILL, not another signal). Without the trace, from the samples: it
   * was a child of an init (tini, docker-init, dumb-init) or of a supervisor that is PID 1,
   * anywhere under an init that signals the whole group (tini -g, dumb-init), or a child of a shell as
   * PID 1 that passed the signal on (the program ended before the shell, or the container ended with
   * 143 within the stop's grace).
   */
  z
    .object({
      type: z.literal('signal-reaches'),
      program: ProgramSpecSchema,
      after: IdSchema,
      /** And, where signals are traced, no SIGKILL cut its shutdown short (PID 1 ending without waiting for it). */
      letFinish: z.boolean().optional(),
    })
    .strict(),
  /**
   * The first signal Docker delivered to PID 1 after step `after` began (its `container-signal` events)
   * is `signal`: what `docker stop` sends is the image's STOPSIGNAL, SIGTERM by default.
   */
  z.object({ type: z.literal('signal-sent'), signal: SignalSchema, after: IdSchema }).strict(),
  /**
   * The first signal `program` got after step `after` began came from a process of the container and
   * was `signal` (from the kernel's trace of signals; fails where signals are not traced).
   */
  z.object({ type: z.literal('signal-got'), program: ProgramSpecSchema, signal: SignalSchema, after: IdSchema }).strict(),
  /**
   * `program` was started at most once in each start of the container: a script that starts it again
   * by itself (a restart loop) hides the crashes from Docker.
   */
  z.object({ type: z.literal('started-once-per-start'), program: ProgramSpecSchema }).strict(),
  /**
   * At most one line matching `matches` in each start of the container: the program's own "started"
   * line, however the program was started again inside (a loop, a second command, `node -e`).
   */
  z.object({ type: z.literal('output-once-per-start'), matches: RegexSchema }).strict(),
  /**
   * Every exit of the container has the code the program said it exits with, in its last line matching
   * `matches` (its first group is the code) before that exit: the program chooses the code at random,
   * so only passing its status on can match it.
   */
  z.object({ type: z.literal('exit-code-as-logged'), matches: RegexSchema }).strict(),
  /**
   * The container's memory use, as the lab read it from its memory cgroup while it ran, stayed at or under
   * `percent` of its limit, and the OOM killer never ended it.
   */
  z.object({ type: z.literal('memory-below'), percent: z.number().int().min(1).max(100) }).strict(),
  /** No exit of the container was an OOM kill (State.OOMKilled). */
  z.object({ type: z.literal('no-oom-kill') }).strict(),
  /** The exec step `step` exited with `exitCode` (default 0) and, when given, printed something matching `outputMatches`. */
  z.object({
    type: z.literal('exec-result'),
    step: IdSchema,
    exitCode: z.number().int().default(0),
    outputMatches: RegexSchema.optional(),
  }).strict(),
  /**
   * No process stayed a zombie (exited, not yet reaped by its parent) longer than `lingerMs` while the
   * container ran: a zombie is timed from the first sample that shows it to the first one without it.
   */
  z.object({ type: z.literal('no-zombies'), lingerMs: z.number().int().min(0).default(0) }).strict(),
]);
export type Assertion = z.infer<typeof AssertionSchema>;
