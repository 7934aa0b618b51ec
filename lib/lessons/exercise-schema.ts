// The format of `lessons/<NN-slug>/exercises/<name>/exercise.yaml`, validated with zod when loaded.
// Every field is documented here; lessons/README.md explains the format to content authors.
import { z } from 'zod';

/** The exercise format this code reads; bump it when a field changes meaning. */
export const EXERCISE_FORMAT_VERSION = 1;

const regex = z.string().min(1).refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');

/**
 * A process, named as a person names it: a program and, for an interpreter, its script
 * (`{ program: node, script: server.js }` matches `/usr/bin/node --enable-source-maps /app/server.js`),
 * or a regular expression over the command line for what is not a program of the exercise.
 */
export const ProgramSpecSchema = z.object({ program: z.string().min(1), script: z.string().min(1).optional() }).strict();
const processMatcher = z.union([regex, ProgramSpecSchema]);
const signal = z.enum(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']);

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

/** One step of a scenario; every step gets an id (given or generated) that checks can refer to. */
export const ActionSchema = z.discriminatedUnion('do', [
  /** Wait until a process whose command line matches `match` runs (with `new`, one that was not there when the step began). */
  z.object({
    do: z.literal('wait-for-process'),
    id: id.optional(),
    match: processMatcher,
    new: z.boolean().default(false),
    timeoutMs: z.number().int().positive().max(30_000),
  }).strict(),
  /** Wait until the container writes a line matching `match` (on stdout or stderr): "the server is listening". */
  z.object({
    do: z.literal('wait-for-output'),
    id: id.optional(),
    match: regex,
    timeoutMs: z.number().int().positive().max(30_000),
  }).strict(),
  /** Send a signal to the process matching `match` (or to PID 1 with `pid1: true`), as `kill -s`. */
  z.object({
    do: z.literal('signal'),
    id: id.optional(),
    signal,
    match: processMatcher.optional(),
    pid1: z.boolean().default(false),
  }).strict().refine((a) => a.pid1 !== Boolean(a.match), { message: 'give either match or pid1: true' }),
  /** `docker stop -t <timeoutSec>`: SIGTERM to PID 1, SIGKILL after the timeout. */
  z.object({ do: z.literal('stop'), id: id.optional(), timeoutSec: z.number().int().min(0).max(30) }).strict(),
  /** Wait until the container has exited and Docker will not restart it. */
  z.object({ do: z.literal('wait-for-exit'), id: id.optional(), timeoutMs: z.number().int().positive().max(60_000) }).strict(),
  /** Wait until Docker has restarted the container at least `count` times in this scenario. */
  z.object({
    do: z.literal('wait-for-restart'),
    id: id.optional(),
    count: z.number().int().min(1).default(1),
    timeoutMs: z.number().int().positive().max(60_000),
  }).strict(),
  /** Let time pass. */
  z.object({ do: z.literal('wait'), id: id.optional(), ms: z.number().int().positive().max(30_000) }).strict(),
  /** Run a command inside the container (`docker exec`) and record its exit code and output. */
  z.object({
    do: z.literal('exec'),
    id: id.optional(),
    command: z.array(z.string()).min(1),
    timeoutMs: z.number().int().positive().max(30_000).default(5_000),
  }).strict(),
]);
export type Action = z.infer<typeof ActionSchema>;

/** The id a step is known by: its own, or step-N (N from 1). */
export function stepId(action: Action, index: number): string {
  return action.id ?? `step-${index + 1}`;
}

/** How the lab draws a value for each run (lib/lessons/drawn-values.ts): an integer in a range, or a token. */
const DrawSchema = z.union([
  z.object({ between: z.tuple([z.number().int(), z.number().int()]), except: z.array(z.number().int()).optional() }).strict(),
  z.object({ token: z.literal(true) }).strict(),
]);

/** A run of the learner's image under one set of run settings, driven by a list of actions. */
export const ScenarioSchema = z
  .object({
    id,
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

const at = id.describe('the id of a scenario step: the state observed when that step finished');
/** An exit code, or `${NAME}`: a value the scenario draws. */
const exitCode = z.union([z.number().int(), z.string().regex(/^\$\{[A-Z][A-Z0-9_]*\}$/, 'a number or ${NAME} of a drawn value')]);

/** What a check asserts over the recorded timeline of one scenario. */
export const AssertionSchema = z.discriminatedUnion('type', [
  /** PID 1's command line matches `matches` at step `at`. */
  z.object({ type: z.literal('pid1-command'), matches: processMatcher, at }).strict(),
  /** A process matching `matches` is running (not a zombie) at step `at`. */
  z.object({ type: z.literal('process-present'), matches: processMatcher, at }).strict(),
  /** No process matching `matches` runs at step `at`. */
  z.object({ type: z.literal('process-absent'), matches: processMatcher, at }).strict(),
  /** A process matching `child` is a direct child of the process matching `parent` (or of PID 1) at step `at`. */
  z.object({
    type: z.literal('child-of'),
    child: processMatcher,
    parent: processMatcher.optional(),
    parentPid1: z.boolean().default(false),
    at,
  }).strict(),
  /** The container is running (PID 1 alive) at step `at`. */
  z.object({ type: z.literal('running-at'), at }).strict(),
  /** The container exited within `withinMs` after step `after` began, optionally with one of `codes`. */
  z.object({
    type: z.literal('exited-within'),
    after: id,
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
    matches: regex,
    withinMs: z.number().int().positive().optional(),
  }).strict(),
  /** The container's filesystem diff has no added or changed path matching `pattern`. */
  z.object({ type: z.literal('no-file-created'), pattern: regex }).strict(),
  /**
   * No file the container wrote, anywhere, is a PID file: named like one (`*.pid`, `pidfile`), or
   * holding nothing but the PID of a process the lab saw in the container.
   */
  z.object({ type: z.literal('no-pid-file') }).strict(),
  /**
   * No file the container wrote, anywhere, is a log file: named like one (`*.log`, anything under
   * /var/log), or holding a line of the app's log (`lines`, matched against each line of the file).
   */
  z.object({ type: z.literal('no-log-file'), lines: regex.optional() }).strict(),
  /** A new process matching `matches` appeared within `withinMs` after step `after`. */
  z.object({
    type: z.literal('process-respawned'),
    matches: processMatcher,
    after: id,
    withinMs: z.number().int().positive(),
  }).strict(),
  /**
   * The stop signal reached `program` itself when step `after` (a stop or a signal to PID 1) began: it
   * was PID 1, or a child of an init (tini, docker-init, dumb-init) or of a supervisor that is PID 1,
   * anywhere under an init that signals the whole group (tini -g, dumb-init), or a child of a shell as
   * PID 1 that passed the signal on (the program ended before the shell, or the container ended with
   * 143 within the stop's grace).
   */
  z.object({ type: z.literal('signal-reaches'), program: ProgramSpecSchema, after: id }).strict(),
  /**
   * `program` was started at most once in each start of the container: a script that starts it again
   * by itself (a restart loop) hides the crashes from Docker.
   */
  z.object({ type: z.literal('started-once-per-start'), program: ProgramSpecSchema }).strict(),
  /**
   * At most one line matching `matches` in each start of the container: the program's own "started"
   * line, however the program was started again inside (a loop, a second command, `node -e`).
   */
  z.object({ type: z.literal('output-once-per-start'), matches: regex }).strict(),
  /**
   * Every exit of the container has the code the program said it exits with, in its last line matching
   * `matches` (its first group is the code) before that exit: the program chooses the code at random,
   * so only passing its status on can match it.
   */
  z.object({ type: z.literal('exit-code-as-logged'), matches: regex }).strict(),
  /** The exec step `step` exited with `exitCode` (default 0) and, when given, printed something matching `outputMatches`. */
  z.object({
    type: z.literal('exec-result'),
    step: id,
    exitCode: z.number().int().default(0),
    outputMatches: regex.optional(),
  }).strict(),
]);
export type Assertion = z.infer<typeof AssertionSchema>;

/** One check: an assertion over one scenario, with the words the learner sees. */
export const CheckSpecSchema = z
  .object({
    id,
    /** What passing means, in a few words ("PID 1 is the server"). */
    title: z.string().min(1),
    scenario: id,
    assert: AssertionSchema,
    /** Shown when the check fails: a nudge, not the answer. */
    hint: z.string().min(1),
    /**
     * Hints for what PID 1 was when the check failed, chosen over `hint` when one fits: a shell, an
     * init (tini), a supervisor, a placeholder (sleep, tail), or the program itself.
     */
    hints: z
      .object({ shell: z.string().min(1), init: z.string().min(1), supervisor: z.string().min(1), placeholder: z.string().min(1), program: z.string().min(1) })
      .partial()
      .strict()
      .optional(),
    /** A "going further" check: reported, but it does not decide pass or fail. */
    bonus: z.boolean().default(false),
  })
  .strict();
export type CheckSpec = z.infer<typeof CheckSpecSchema>;

/** Fields every kind of exercise file has. */
const exerciseBasics = {
  format_version: z.literal(EXERCISE_FORMAT_VERSION),
  /** Position within its lesson, from 1. */
  order: z.number().int().min(1),
  title: z.string().min(1),
  /** Markdown shown above the editor: the task, in the learner's terms. */
  instructions: z.string().min(1),
};

/** The wrong/<name>/ cases: which check ids each must fail; check-lessons proves it on the real engine. */
function mistakesOf<T extends z.ZodType<string>>(checkId: T) {
  return z.record(id, z.object({ about: z.string().min(1), fails: z.array(checkId).min(1) }).strict());
}

/** A build exercise (the default kind): the lab builds the learner's files and runs the image in each scenario. */
export const BuildExerciseFileSchema = z
  .object({
    ...exerciseBasics,
    kind: z.literal('build').default('build'),
    /** The files the learner edits, in tab order; each must exist beside exercise.yaml as the starter. */
    files: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)).min(1),
    /** Sandbox limits this exercise tightens (never loosens): see lib/sandbox/limits.ts. */
    limits: z
      .object({ memoryMb: z.number().int().min(16).max(256).optional(), pids: z.number().int().min(8).max(64).optional() })
      .strict()
      .default({}),
    scenarios: z.array(ScenarioSchema).min(1),
    checks: z.array(CheckSpecSchema).min(1),
    mistakes: mistakesOf(id),
  })
  .strict();
export type BuildExerciseFile = z.infer<typeof BuildExerciseFileSchema>;

/** The checks of a diagnosis exercise, in the order they are reported (lib/checks/diagnosis.ts judges them). */
export const DIAGNOSIS_CHECK_IDS = ['answer-format', 'pid1', 'exit-code', 'cause'] as const;
export type DiagnosisCheckId = (typeof DIAGNOSIS_CHECK_IDS)[number];

/**
 * A diagnosis exercise: the lab stages an incident (lib/incidents/), a container of the learner's that
 * stops for a reason drawn from a seed, and the learner answers in answer.json what PID 1 was, its exit
 * code and why it exited. The checks compare the answer with what the lab observed of that incident.
 */
export const DiagnosisExerciseFileSchema = z
  .object({
    ...exerciseBasics,
    kind: z.literal('diagnosis'),
    /** The learner edits one file: their answer. */
    files: z
      .array(z.string())
      .refine((files) => files.length === 1 && files[0] === 'answer.json', { message: 'a diagnosis exercise has one file: [answer.json]' }),
    incident: z
      .object({
        /** The name the learner knows the stopped container by (`docker logs <container>`). */
        container: z.string().regex(/^[a-z][a-z0-9-]*$/),
      })
      .strict(),
    mistakes: mistakesOf(z.enum(DIAGNOSIS_CHECK_IDS)),
  })
  .strict();
export type DiagnosisExerciseFile = z.infer<typeof DiagnosisExerciseFileSchema>;

/** An exercise file of either kind. */
export type ExerciseFile = BuildExerciseFile | DiagnosisExerciseFile;

/** Validates an exercise file with the schema of its kind (`build` when it names none). */
export function parseExerciseFile(raw: unknown) {
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  return kind === 'diagnosis' ? DiagnosisExerciseFileSchema.safeParse(raw) : BuildExerciseFileSchema.safeParse(raw);
}
