// The format of `lessons/<NN-slug>/exercises/<name>/exercise.yaml`, validated with zod when loaded.
// Every field is documented in this file and those it is built from (scenario-schema.ts, action-schema.ts,
// run-settings-schema.ts, check-spec-schema.ts, assertion-schema.ts, schema-primitives.ts);
// lessons/README.md explains the format to content authors.
import { z } from 'zod';
import { CAUSES } from '../incidents/causes';
import { AssertionSchema } from './assertion-schema';
import { CheckSpecSchema } from './check-spec-schema';
import { HintStepsSchema } from './hint-steps-schema';
import { PredictionSpecSchema } from './prediction-schema';
import { ScenarioSchema } from './scenario-schema';
import { IdSchema } from './schema-primitives';

export { ActionSchema, stepId, type Action } from './action-schema';
export { AssertionSchema, type Assertion } from './assertion-schema';
export { CheckSpecSchema, type CheckSpec } from './check-spec-schema';
export { RunSettingsSchema, type RunSettings } from './run-settings-schema';
export { ScenarioSchema, type Scenario } from './scenario-schema';
export { ProgramSpecSchema } from './schema-primitives';

/** The exercise format this code reads; bump it when a field changes meaning. */
export const EXERCISE_FORMAT_VERSION = 1;

/** Fields every kind of exercise file has. */
const exerciseBasics = {
  format_version: z.literal(EXERCISE_FORMAT_VERSION),
  /** Position within its lesson, from 1. */
  order: z.number().int().min(1),
  title: z.string().min(1),
  /** Markdown shown above the editor: the task, in the learner's terms. */
  instructions: z.string().min(1),
};

/**
 * The wrong/<name>/ cases, each a known mistake a result is recognised as (lib/checks/mistakes.ts) only
 * when it holds all of: the checks it `fails`, the checks it `passes`, and (build exercises) what the lab
 * must have seen, `shows`: assertions over a scenario that hold (or, with `not: true`, do not), such as
 * "PID 1 is a shell with the program as its child". check-lessons proves each on the real engine.
 */
function mistakeOf<T extends z.ZodType<string>>(checkId: T) {
  return z.object({ about: z.string().min(1), fails: z.array(checkId).min(1), passes: z.array(checkId).optional() });
}
/** What defines a diagnosis mistake: the incident's staged cause, what PID 1 was, what the answer gave (lib/checks/diagnosis-mistakes.ts). */
const DiagnosisShowsSchema = z
  .object({
    cause: z.array(z.enum(CAUSES)).optional(),
    answeredCause: z.array(z.enum(CAUSES)).optional(),
    pid1: z.array(z.enum(['shell-form', 'script', 'init', 'program'])).optional(),
    answeredAppExitCode: z.boolean().optional(),
    answeredOtherProcess: z.boolean().optional(),
    answeredArguments: z.boolean().optional(),
    answeredExitCode: z.array(z.number().int().min(0).max(255)).optional(),
  })
  .strict();
const ObservationSchema = z.object({ scenario: IdSchema, assert: AssertionSchema, not: z.boolean().optional() }).strict();

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
    mistakes: z.record(IdSchema, mistakeOf(IdSchema).extend({ shows: z.array(ObservationSchema).optional() }).strict()),
    /** The known mistake the starter is recognised as (check-lessons proves it); none when absent. */
    starter_looks_like: IdSchema.optional(),
    /** Questions the learner may answer before a run, judged from what the run showed (prediction-schema.ts). */
    predictions: z.array(PredictionSpecSchema).max(4).default([]),
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
    mistakes: z.record(IdSchema, mistakeOf(z.enum(DIAGNOSIS_CHECK_IDS)).extend({ shows: DiagnosisShowsSchema.optional() }).strict()),
    /** The known mistake the starter is recognised as, for every incident (check-lessons proves it); none when absent. */
    starter_looks_like: IdSchema.optional(),
    /**
     * Graded hint steps 2 and 3 per check: the idea and the lesson section, then how to find the fact
     * with the CLI. The first step is the hint the check gives from the learner's answer.
     */
    hint_steps: z
      .object({ 'answer-format': HintStepsSchema.optional(), pid1: HintStepsSchema.optional(), 'exit-code': HintStepsSchema.optional(), cause: HintStepsSchema.optional() })
      .strict()
      .default({}),
    /** Questions the learner may answer before checking, judged from the incident's truth (`incident-pid1`). */
    predictions: z.array(PredictionSpecSchema).max(4).default([]),
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
