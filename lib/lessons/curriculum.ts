// Loads the curriculum from lessons/: each lesson folder `<NN>-<slug>/` holds lesson.md (YAML front
// matter + Markdown) and exercises/<name>/ with exercise.yaml, the starter files, solution/,
// wrong/<mistake>/ and optional alternatives/<variant>/ (other correct solutions).
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { LearnerFile } from '../sandbox/learner-files';
import { folderCache } from './folder-cache';
import { lessonHeadingIds } from './heading-ids';
import type { HintSteps } from './hint-steps-schema';
import { DIAGNOSIS_CHECK_IDS, parseExerciseFile, stepId, type BuildExerciseFile, type DiagnosisExerciseFile } from './exercise-schema';

/** The lessons folder of this checkout. */
export const LESSONS_DIR = path.resolve(/* turbopackIgnore: true */ process.cwd(), 'lessons');

const LessonFrontMatterSchema = z
  .object({
    title: z.string().min(1),
    /** One sentence for the lesson list. */
    summary: z.string().min(1),
  })
  .strict();

/** What every exercise has, loaded and validated. */
interface ExerciseBasics {
  /** `<lesson-slug>/<name>`, e.g. main-process-exit/pid1: a stable contract. */
  id: string;
  lessonSlug: string;
  name: string;
  dir: string;
  /** The starter files, in the order of spec.files. */
  starter: LearnerFile[];
}

/** An exercise whose files the lab builds and runs. */
export interface BuildExercise extends ExerciseBasics {
  kind: 'build';
  spec: BuildExerciseFile;
}

/** An exercise in which the learner diagnoses an incident the lab stages. */
export interface DiagnosisExercise extends ExerciseBasics {
  kind: 'diagnosis';
  spec: DiagnosisExerciseFile;
}

/** One exercise of either kind. */
export type Exercise = BuildExercise | DiagnosisExercise;

/** One lesson with its exercises. */
export interface Lesson {
  slug: string;
  order: number;
  title: string;
  summary: string;
  /** Markdown body. */
  body: string;
  exercises: Exercise[];
}

/** The curriculum has problems; each names its file. */
export class CurriculumError extends Error {
  constructor(readonly problems: string[]) {
    super(`the curriculum has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

function splitFrontMatter(text: string): { data: unknown; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) return { data: {}, body: text };
  return { data: parseYaml(match[1]), body: match[2] };
}

function readFiles(dir: string): LearnerFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ name: entry.name, content: fs.readFileSync(path.join(dir, entry.name), 'utf8') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function loadExercise(lessonSlug: string, dir: string, problems: string[]): Exercise | null {
  const name = path.basename(dir);
  const file = path.join(dir, 'exercise.yaml');
  if (!fs.existsSync(file)) {
    problems.push(`${file}: missing`);
    return null;
  }
  const parsed = parseExerciseFile(parseYaml(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return null;
  }
  const spec = parsed.data;
  const starter: LearnerFile[] = [];
  for (const fileName of spec.files) {
    const starterPath = path.join(dir, fileName);
    if (!fs.existsSync(starterPath)) problems.push(`${starterPath}: listed in files but missing`);
    else starter.push({ name: fileName, content: fs.readFileSync(starterPath, 'utf8') });
  }
  const allowed = new Set(['exercise.yaml', 'solution', 'wrong', 'alternatives', ...spec.files]);
  for (const entry of fs.readdirSync(dir)) {
    if (!allowed.has(entry)) problems.push(`${path.join(dir, entry)}: stray file (not listed in files)`);
  }
  if (spec.kind === 'build') checkScenariosAndChecks(spec, file, problems);
  else checkSeedCases(dir, spec.files, problems);
  if (!fs.existsSync(path.join(dir, 'solution'))) problems.push(`${dir}: no solution/`);
  const wrongDir = path.join(dir, 'wrong');
  const wrongCases = fs.existsSync(wrongDir) ? fs.readdirSync(wrongDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  if (fs.existsSync(wrongDir) && wrongCases.length !== fs.readdirSync(wrongDir).length) problems.push(`${wrongDir}: holds files; each case is a folder`);
  if (wrongCases.length < 2) problems.push(`${dir}: needs at least two wrong/<mistake>/ cases`);
  for (const wrongCase of wrongCases) {
    if (!spec.mistakes[mistakeOfCase(wrongCase)]) problems.push(`${path.join(wrongDir, wrongCase)}: not described under mistakes in exercise.yaml`);
  }
  const checkIds = new Set(spec.kind === 'build' ? spec.checks.map((check) => check.id) : DIAGNOSIS_CHECK_IDS);
  for (const [mistake, about] of Object.entries(spec.mistakes)) {
    if (!wrongCases.some((wrongCase) => mistakeOfCase(wrongCase) === mistake)) problems.push(`${file}: mistake ${mistake} has no wrong/${mistake}/ folder`);
    for (const check of [...about.fails, ...(about.passes ?? [])]) if (!checkIds.has(check)) problems.push(`${file}: mistake ${mistake} names unknown check ${check}`);
    const scenarioIds = new Set(spec.kind === 'build' ? spec.scenarios.map((scenario) => scenario.id) : []);
    for (const shown of Array.isArray(about.shows) ? about.shows : []) if (!scenarioIds.has(shown.scenario)) problems.push(`${file}: mistake ${mistake} names unknown scenario ${shown.scenario}`);
  }
  if (spec.starter_looks_like && !spec.mistakes[spec.starter_looks_like]) problems.push(`${file}: starter_looks_like names unknown mistake ${spec.starter_looks_like}`);
  const basics = { id: `${lessonSlug}/${name}`, lessonSlug, name, dir, starter };
  return spec.kind === 'build' ? { ...basics, kind: 'build', spec } : { ...basics, kind: 'diagnosis', spec };
}

/** Scenario, step and check ids of a build exercise refer to things that exist, once each. */
function checkScenariosAndChecks(spec: BuildExerciseFile, file: string, problems: string[]) {
  const scenarioIds = new Set(spec.scenarios.map((scenario) => scenario.id));
  if (scenarioIds.size !== spec.scenarios.length) problems.push(`${file}: two scenarios share an id`);
  for (const scenario of spec.scenarios) {
    const steps = scenario.actions.map(stepId);
    if (new Set(steps).size !== steps.length) problems.push(`${file}: scenario ${scenario.id} has two steps with the same id`);
  }
  const checkIds = new Set<string>();
  for (const check of spec.checks) {
    if (checkIds.has(check.id)) problems.push(`${file}: check id ${check.id} is used twice`);
    checkIds.add(check.id);
    if (!scenarioIds.has(check.scenario)) problems.push(`${file}: check ${check.id} names unknown scenario ${check.scenario}`);
    const scenario = spec.scenarios.find((s) => s.id === check.scenario);
    const stepIds = new Set(scenario?.actions.map(stepId));
    for (const key of ['at', 'after', 'step'] as const) {
      const step = (check.assert as Record<string, unknown>)[key];
      if (typeof step === 'string' && scenario && !stepIds.has(step)) problems.push(`${file}: check ${check.id} names unknown step ${step}`);
    }
  }
}

/** A case folder of a diagnosis exercise holds one folder per incident it answers: `seed-<N>/`. */
const SEED_FOLDER = /^seed-(\d+)$/;

/** Every case folder (solution/, alternatives/x/, wrong/x/) of a diagnosis exercise holds seed-<N>/ folders of answer files. */
function checkSeedCases(dir: string, files: readonly string[], problems: string[]) {
  const nested = (kind: string) => (fs.existsSync(path.join(dir, kind)) ? fs.readdirSync(path.join(dir, kind)).map((name) => path.join(kind, name)) : []);
  for (const caseDir of ['solution', ...nested('alternatives'), ...nested('wrong')]) {
    const full = path.join(dir, caseDir);
    if (!fs.existsSync(full) || !fs.statSync(full).isDirectory()) continue;
    const entries = fs.readdirSync(full, { withFileTypes: true });
    if (entries.length === 0) problems.push(`${full}: empty; it holds one seed-<N>/ folder per incident it answers`);
    for (const entry of entries) {
      if (!entry.isDirectory() || !SEED_FOLDER.test(entry.name)) {
        problems.push(`${path.join(full, entry.name)}: a case of a diagnosis exercise holds only seed-<N>/ folders`);
        continue;
      }
      for (const answer of fs.readdirSync(path.join(full, entry.name))) {
        if (!files.includes(answer)) problems.push(`${path.join(full, entry.name, answer)}: stray file (not listed in files)`);
      }
    }
  }
}

/** The seeds a case folder of a diagnosis exercise answers (its seed-<N>/ folders), in order. */
export function caseSeeds(exercise: DiagnosisExercise, relativeDir: string): number[] {
  const dir = path.join(exercise.dir, relativeDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => SEED_FOLDER.exec(name)?.[1])
    .filter((seed): seed is string => seed !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Graded hints that link to a lesson section no lesson has. */
function sectionProblems(lessons: Lesson[]): string[] {
  const sections = new Set(lessons.flatMap((lesson) => lessonHeadingIds(lesson.body).map((id) => `${lesson.slug}#${id}`)));
  const problems: string[] = [];
  for (const exercise of lessons.flatMap((lesson) => lesson.exercises))
    for (const [checkId, steps] of Object.entries(hintStepsByCheck(exercise)))
      if (steps && !sections.has(steps.concept.section))
        problems.push(`${path.join(exercise.dir, 'exercise.yaml')}: check ${checkId} links to ${steps.concept.section}, which is not a section of a lesson`);
  return problems;
}

/** Steps 2 and 3 of each check's graded hint, by check id (checks without them are absent). */
export function hintStepsByCheck(exercise: Exercise): Record<string, HintSteps | undefined> {
  if (exercise.kind === 'diagnosis') return exercise.spec.hint_steps;
  return Object.fromEntries(
    exercise.spec.checks.filter((check) => check.concept && check.fix).map((check) => [check.id, { concept: check.concept!, fix: check.fix! }]),
  );
}

const cachedCurriculum = folderCache(readCurriculum);

/**
 * Every lesson, loaded and validated; CurriculumError lists all problems found. The result is shared and
 * read-only, kept while no file of the folder changes (see folder-cache.ts).
 */
export function loadCurriculum(dir: string = LESSONS_DIR): Lesson[] {
  return cachedCurriculum(dir);
}

function readCurriculum(dir: string): Lesson[] {
  const problems: string[] = [];
  const lessons: Lesson[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const match = /^(\d+)-([a-z0-9-]+)$/.exec(entry.name);
    if (!match) {
      problems.push(`${path.join(dir, entry.name)}: lesson folders are named <NN>-<slug>`);
      continue;
    }
    const lessonDir = path.join(dir, entry.name);
    const lessonFile = path.join(lessonDir, 'lesson.md');
    if (!fs.existsSync(lessonFile)) {
      problems.push(`${lessonFile}: missing`);
      continue;
    }
    const { data, body } = splitFrontMatter(fs.readFileSync(lessonFile, 'utf8'));
    const front = LessonFrontMatterSchema.safeParse(data);
    if (!front.success) {
      for (const issue of front.error.issues) problems.push(`${lessonFile}: front matter ${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const exercisesDir = path.join(lessonDir, 'exercises');
    const exercises = fs.existsSync(exercisesDir)
      ? fs
          .readdirSync(exercisesDir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => loadExercise(match[2], path.join(exercisesDir, e.name), problems))
          .filter((exercise): exercise is Exercise => exercise !== null)
      : [];
    const ordered = [...exercises].sort((a, b) => a.spec.order - b.spec.order || a.name.localeCompare(b.name));
    lessons.push({ slug: match[2], order: Number(match[1]), title: front.data.title, summary: front.data.summary, body, exercises: ordered });
  }
  problems.push(...sectionProblems(lessons));
  if (problems.length) throw new CurriculumError(problems);
  return lessons;
}

/** All exercises of the curriculum, in lesson order. */
export function allExercises(lessons: Lesson[] = loadCurriculum()): Exercise[] {
  return lessons.flatMap((lesson) => lesson.exercises);
}

/** The exercise with this id, or undefined. */
export function findExercise(id: string, lessons: Lesson[] = loadCurriculum()): Exercise | undefined {
  return allExercises(lessons).find((exercise) => exercise.id === id);
}

/** The build exercise with this id, or undefined (for tools that run a known exercise's files). */
export function findBuildExercise(id: string, lessons: Lesson[] = loadCurriculum()): BuildExercise | undefined {
  const exercise = findExercise(id, lessons);
  return exercise?.kind === 'build' ? exercise : undefined;
}

/** The starter files with `overrides` replacing those of the same name (and adding new ones). */
export function mergeFiles(starter: LearnerFile[], overrides: LearnerFile[]): LearnerFile[] {
  const merged = new Map(starter.map((file) => [file.name, file]));
  for (const file of overrides) merged.set(file.name, file);
  return [...merged.values()];
}

/** Files of a case folder (solution/, wrong/x/, alternatives/y/) merged over the starter. */
export function caseFiles(exercise: Exercise, relativeDir: string): LearnerFile[] {
  return mergeFiles(exercise.starter, readFiles(path.join(exercise.dir, relativeDir)));
}

/**
 * The mistake a wrong/ case shows: its folder's name, or what comes before `--` in another example of
 * the same mistake (`wrong/exit-code-swallowed--exit-zero/`): two answers the lab sees doing the same
 * thing are one mistake, however differently they are written.
 */
export function mistakeOfCase(caseName: string): string {
  return caseName.split('--')[0];
}

/** Names of the wrong/ and alternatives/ cases of an exercise. */
export function caseNames(exercise: Exercise, kind: 'wrong' | 'alternatives'): string[] {
  const dir = path.join(exercise.dir, kind);
  return fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
}
