// The runnable examples of the lessons. A code block the lab can build and run carries, right before
// it, an HTML comment the page does not show:
//
//   <!-- example: {"files": ["worker.js", "Dockerfile"], "stop": 4, "expect": {"pid1": "node worker.js", "exitCode": 137}} -->
//
// The JSON says which files the fenced blocks from there on hold, how the image is run, and what the
// lesson says happens (PID 1's command line, the exit code, ...). This module reads the examples;
// example-exercise-spec.ts turns each one into a scenario and checks in the lab's own exercise language,
// so they are observed and judged exactly as exercises are; scripts/lesson-examples.ts runs them.
// lessons/README.md documents the convention for authors.
import fs from 'node:fs';
import path from 'node:path';
import type { LearnerFile } from '../sandbox/learner-files';
import { LESSONS_DIR, loadCurriculum, type Lesson } from './curriculum';
import { exampleDockerfile } from './example-dockerfile';
import { ExampleSpecSchema } from './example-spec-schema';
import type { LessonExample } from './lesson-example';
import { scanMarkdown } from './scan-markdown';

export { exampleDockerfile } from './example-dockerfile';
export { EXAMPLE_SCENARIO, exampleExerciseSpec } from './example-exercise-spec';
export { ExampleSpecSchema, type ExampleSpec } from './example-spec-schema';
export type { LessonExample } from './lesson-example';

/** The examples of one lesson.md text; every problem names its line. */
export function parseLessonExamples(text: string, lesson: Pick<Lesson, 'slug' | 'exercises'>, file = 'lesson.md'): { examples: LessonExample[]; problems: string[] } {
  const { blocks, marks, lines } = scanMarkdown(text);
  const examples: LessonExample[] = [];
  const problems: string[] = [];
  for (const [index, mark] of marks.entries()) {
    const problem = (message: string) => problems.push(`${file}:${mark.line}: ${message}`);
    let raw: unknown;
    try {
      raw = JSON.parse(mark.json);
    } catch (error) {
      problem(`the example comment is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const parsed = ExampleSpecSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(`${issue.path.join('.') || 'example'}: ${issue.message}`);
      continue;
    }
    const spec = parsed.data;
    const first = blocks.findIndex((block) => block.line > mark.lastLine);
    if (first < 0 || lines.slice(mark.lastLine, blocks[first].line - 1).some((line) => line.trim())) {
      problem('an example comment stands right before the code block it describes (blank lines only between them)');
      continue;
    }
    const taken = blocks.slice(first, first + Math.max(1, spec.files.length));
    const nextMark = marks[index + 1]?.line ?? Infinity;
    if (taken.length < spec.files.length || taken.at(-1)!.line > nextMark) {
      problem(`files names ${spec.files.length} code block(s), but only ${taken.filter((block) => block.line < nextMark).length} follow before the next example`);
      continue;
    }
    const shown: LearnerFile[] = spec.files.map((name, i) => ({ name, content: `${taken[i].text}\n` }));
    if (new Set(spec.files).size !== spec.files.length) {
      problem('files names the same file twice');
      continue;
    }
    const exercise = spec.exercise === undefined ? undefined : lesson.exercises.find((candidate) => candidate.name === spec.exercise);
    if (spec.exercise !== undefined && exercise?.kind !== 'build') {
      problem(`exercise ${spec.exercise} is not a build exercise of lesson ${lesson.slug}`);
      continue;
    }
    const borrowed = (exercise?.starter ?? []).filter((starter) => starter.name !== 'Dockerfile' && !spec.files.includes(starter.name));
    const others = [...shown.filter((f) => f.name !== 'Dockerfile'), ...borrowed];
    const dockerfile = exampleDockerfile(spec, shown.find((f) => f.name === 'Dockerfile')?.content, others.map((f) => f.name));
    examples.push({
      id: `${lesson.slug}/lesson.md:${mark.line}`,
      lessonSlug: lesson.slug,
      line: mark.line,
      spec,
      files: [{ name: 'Dockerfile', content: dockerfile }, ...others],
    });
  }
  return { examples, problems };
}

/** The examples of every lesson under `dir`; problems name the lesson file and line. */
export function loadLessonExamples(dir: string = LESSONS_DIR, lessons: Lesson[] = loadCurriculum(dir)): { examples: LessonExample[]; problems: string[] } {
  const examples: LessonExample[] = [];
  const problems: string[] = [];
  const folders = fs.readdirSync(dir);
  for (const lesson of lessons) {
    const folder = folders.find((name) => new RegExp(`^\\d+-${lesson.slug}$`).test(name));
    if (!folder) continue;
    const file = path.join(dir, folder, 'lesson.md');
    const found = parseLessonExamples(fs.readFileSync(file, 'utf8'), lesson, path.relative(process.cwd(), file));
    examples.push(...found.examples);
    problems.push(...found.problems);
  }
  return { examples, problems };
}
