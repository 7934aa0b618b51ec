// Proves the lessons' runnable examples on the real engine: each example marked in a lesson.md
// (lib/lessons/lesson-examples.ts) is built FROM lab/node and run like an exercise (the sandbox's
// limits, no network, labelled and removed afterwards), and every claim the text makes about it (PID 1,
// exit code, timing, ...) must hold. `npm run check-lessons` runs it; alone:
//   node scripts/run-ts.mjs scripts/lesson-examples.ts [<lesson-slug>[/lesson.md:<line>]...]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleExerciseSpec, loadLessonExamples, type LessonExample } from '../lib/lessons/lesson-examples';
import { configureLog } from '../lib/log';
import { inlineExercise } from '../lib/runner/inline-exercise';
import { runExercise } from '../lib/runner/run-exercise';
import { DockerEngine } from '../lib/sandbox/docker-engine';
import type { Engine } from '../lib/sandbox/engine';
import { labelledResources, reap } from '../lib/sandbox/reaper';

/** What one example showed: `problems` is empty when every claim held. */
export interface ExampleVerdict {
  example: LessonExample;
  problems: string[];
  durationMs: number;
}

/** Builds and runs one example and compares what was observed with what the lesson says. */
export async function proveExample(engine: Engine, example: LessonExample, owner: string): Promise<ExampleVerdict> {
  const exercise = inlineExercise(
    exampleExerciseSpec(example),
    example.files,
    `${example.lessonSlug}/example-${example.line}`,
  );
  const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner });
  const problems = outcome.checks
    .filter((check) => check.status !== 'pass')
    .map(
      (check) =>
        `${check.status === 'error' ? 'platform error: ' : ''}${check.title}: expected ${check.expected}; observed ${check.observed}`,
    );
  return { example, problems, durationMs: outcome.durationMs };
}

/**
 * Proves every example whose id starts with one of `filters` (all without filters), a few at a time,
 * printing one line each. Problems in the example comments themselves count as failures.
 */
export async function checkLessonExamples(
  engine: Engine,
  filters: string[] = [],
  options: { owner?: string; concurrency?: number; print?: (line: string) => void } = {},
): Promise<{ passed: number; failed: number }> {
  const { owner = 'check-lessons', print = console.log } = options;
  const concurrency = Math.max(1, options.concurrency ?? Math.min(4, Number(process.env.LAB_CHECK_CONCURRENCY ?? 4)));
  const { examples, problems } = loadLessonExamples();
  const wanted = examples.filter(
    (example) => filters.length === 0 || filters.some((filter) => example.id.startsWith(filter)),
  );
  let passed = 0;
  let failed = problems.length;
  for (const problem of problems) print(`NOT OK ${problem}`);
  if (wanted.length) print(`lesson examples: ${wanted.length} examples, ${concurrency} at a time`);
  const queue = [...wanted];
  async function worker() {
    for (let example = queue.shift(); example; example = queue.shift()) {
      const verdict = await proveExample(engine, example, owner);
      const label = `example ${example.id}`;
      if (verdict.problems.length === 0) {
        passed++;
        print(`ok     ${label.padEnd(58)} (${(verdict.durationMs / 1000).toFixed(1)} s)`);
      } else {
        failed++;
        print(`NOT OK ${label}\n         ${verdict.problems.join('\n         ')}`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { passed, failed };
}

async function main() {
  configureLog({ stream: process.stderr, level: 'warn' });
  const engine = new DockerEngine();
  const started = Date.now();
  const owner = 'lesson-examples';
  const { passed, failed } = await checkLessonExamples(engine, process.argv.slice(2), { owner });
  await reap(engine.docker, 'mine');
  const left = await labelledResources(engine.docker, owner);
  const leftovers = left.containers.length + left.images.length;
  if (leftovers)
    console.log(
      `NOT OK leftovers: ${left.containers.length} container(s), ${left.images.length} image(s) labelled ${owner}`,
    );
  console.log(
    `lesson examples: ${passed} passed, ${failed + (leftovers ? 1 : 0)} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  process.exitCode = failed || leftovers ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
