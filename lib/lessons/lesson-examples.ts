// The runnable examples of the lessons. A code block the lab can build and run carries, right before
// it, an HTML comment the page does not show:
//
//   <!-- example: {"files": ["worker.js", "Dockerfile"], "stop": 4, "expect": {"pid1": "node worker.js", "exitCode": 137}} -->
//
// The JSON says which files the fenced blocks from there on hold, how the image is run, and what the
// lesson says happens (PID 1's command line, the exit code, ...). This module reads the examples and
// turns each one into a scenario and checks in the lab's own exercise language, so they are observed
// and judged exactly as exercises are; scripts/lesson-examples.ts runs them. lessons/README.md
// documents the convention for authors.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LearnerFile } from '../sandbox/learner-files';
import { LESSONS_DIR, loadCurriculum, type Lesson } from './curriculum';
import type { CheckSpecSchema, ScenarioSchema } from './exercise-schema';

/** A command line as `ps -o args` prints it, e.g. `sh -c node server.js & sleep infinity`. */
const commandLine = z.string().min(1);
const fileName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'a plain file name');
const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

/** What the comment holds: the example's files, how it runs, and the claims the lesson makes about it. */
export const ExampleSpecSchema = z
  .object({
    /** Names of the fenced blocks from the comment on, in order (prose may stand between them). */
    files: z.array(fileName).default(['Dockerfile']),
    /** The CMD the text names, when no Dockerfile block is shown: a string is the shell form, an array the exec form. */
    cmd: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
    /** The ENTRYPOINT (exec form), when no Dockerfile block is shown. */
    entrypoint: z.array(z.string()).min(1).optional(),
    /** An exercise of the same lesson whose starter files (never its Dockerfile) supply the files the example does not show. */
    exercise: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
    /** `docker run` options: `--init`, `-e`, `--restart` (as written on the command line). */
    run: z
      .object({
        init: z.boolean().default(false),
        env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
        restart: z.string().regex(RESTART, 'no, always, unless-stopped or on-failure[:N]').default('no'),
      })
      .strict()
      .default({ init: false, env: {}, restart: 'no' }),
    /** Processes (command lines) to wait for before acting; by default PID 1 and the children claimed. */
    waitFor: z.array(commandLine).optional(),
    /** Text the program writes once it is ready (its handlers installed): waited for after the processes. */
    ready: z.string().min(1).optional(),
    /** A command run in the container once it is up (`docker exec`), such as a `pkill`. */
    exec: z.array(z.string()).min(1).optional(),
    /** Time to let pass after that before the processes are observed. */
    waitMs: z.number().int().positive().max(20_000).optional(),
    /** `docker stop -t <stop>` after the observation. */
    stop: z.number().int().min(0).max(30).optional(),
    expect: z
      .object({
        /** PID 1's command line, exactly. */
        pid1: commandLine.optional(),
        /** Every other live process, each a child of PID 1 (ps's own line and zombies aside). */
        children: z.array(commandLine).optional(),
        /** Zombies as ps shows them: `[sleep] <defunct>`. */
        zombies: z.array(commandLine).optional(),
        /** The container is still running when observed. */
        running: z.literal(true).optional(),
        /** Text the container writes (stdout or stderr). */
        output: z.array(z.string().min(1)).optional(),
        /** The code Docker records for every exit of PID 1. */
        exitCode: z.number().int().min(0).max(255).optional(),
        /** The container exits within this long of `docker stop` (with `stop`), else of its start. */
        exitWithinMs: z.number().int().positive().max(30_000).optional(),
        /** How many times the restart policy restarted it. */
        restarts: z.number().int().min(0).max(10).optional(),
        /** The exit code of the `exec` command. */
        execExitCode: z.number().int().optional(),
        /** Processes started again after the `exec` command ended them (by a supervisor): new PIDs. */
        respawned: z.array(commandLine).optional(),
      })
      .strict(),
  })
  .strict()
  .refine((spec) => spec.expect.pid1 !== undefined || spec.expect.exitCode !== undefined, { message: 'an example claims at least pid1 or exitCode' })
  .refine((spec) => spec.files.includes('Dockerfile') !== (spec.cmd !== undefined || spec.entrypoint !== undefined), {
    message: 'the Dockerfile is either one of the files shown or made from cmd/entrypoint, not both and not neither',
  })
  .refine((spec) => !spec.expect.children || spec.expect.pid1, { message: 'children are claimed with pid1' })
  .refine((spec) => (spec.expect.execExitCode === undefined && !spec.expect.respawned) || spec.exec, { message: 'execExitCode and respawned need exec' })
  .refine((spec) => (spec.stop === undefined && !spec.exec) || (spec.waitFor ?? [spec.expect.pid1]).some(Boolean), {
    message: 'stop and exec act on a running container: claim pid1 or give waitFor',
  });
export type ExampleSpec = z.infer<typeof ExampleSpecSchema>;

/** One runnable example of a lesson. */
export interface LessonExample {
  /** `<lesson-slug>/lesson.md:<line>`: where the comment stands. */
  id: string;
  lessonSlug: string;
  /** Line of the comment in lesson.md. */
  line: number;
  spec: ExampleSpec;
  /** Everything the image is built from, the Dockerfile first. */
  files: LearnerFile[];
}

interface FencedBlock {
  line: number;
  text: string;
}

interface ExampleMark {
  line: number;
  lastLine: number;
  json: string;
}

/** The fenced code blocks and example comments of a Markdown text (comments inside a block are code). */
function scanMarkdown(text: string): { blocks: FencedBlock[]; marks: ExampleMark[]; lines: string[] } {
  const lines = text.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  const marks: ExampleMark[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})/.exec(lines[i]);
    if (open) {
      const close = new RegExp(`^ {0,3}${open[2][0]}{${open[2].length},}\\s*$`);
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !close.test(lines[j]); j++) body.push(lines[j].replace(new RegExp(`^ {0,${open[1].length}}`), ''));
      blocks.push({ line: i + 1, text: body.join('\n') });
      i = j;
      continue;
    }
    if (!/^ {0,3}<!--\s*example:/.test(lines[i])) continue;
    let j = i;
    while (j < lines.length - 1 && !lines[j].includes('-->')) j++;
    const comment = lines.slice(i, j + 1).join('\n');
    marks.push({ line: i + 1, lastLine: j + 1, json: comment.slice(comment.indexOf('example:') + 'example:'.length, comment.lastIndexOf('-->')) });
    i = j;
  }
  return { blocks, marks, lines };
}

function restartOf(text: string): { policy: 'no' | 'on-failure' | 'always' | 'unless-stopped'; maxRetries?: number } {
  const [policy, max] = text.split(':') as ['no' | 'on-failure' | 'always' | 'unless-stopped', string?];
  return max === undefined ? { policy } : { policy, maxRetries: Number(max) };
}

/**
 * The Dockerfile of an example: the one shown, completed with `FROM lab/node`, `WORKDIR /app` and a
 * COPY of the other files when it is a fragment without FROM; or those lines and cmd/entrypoint.
 */
export function exampleDockerfile(spec: ExampleSpec, shown: string | undefined, otherFiles: string[]): string {
  if (shown !== undefined && /^\s*FROM\s/im.test(shown)) return shown.endsWith('\n') ? shown : `${shown}\n`;
  const base = ['FROM lab/node', 'WORKDIR /app', ...(otherFiles.length ? [`COPY ${otherFiles.join(' ')} ./`] : [])];
  const command = shown !== undefined
    ? [shown]
    : [
        ...(spec.entrypoint ? [`ENTRYPOINT ${JSON.stringify(spec.entrypoint)}`] : []),
        ...(spec.cmd === undefined ? [] : [`CMD ${typeof spec.cmd === 'string' ? spec.cmd : JSON.stringify(spec.cmd)}`]),
      ];
  return `${[...base, ...command].join('\n').replace(/\n+$/, '')}\n`;
}

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

/** The scenario every example runs in. */
export const EXAMPLE_SCENARIO = 'example';
const UP_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 30_000;

/** Claims are plain text: as regular expressions for the lab's checks, they match it literally (or exactly). */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (line: string) => `^${literally(line)}$`;

type ScenarioInput = z.input<typeof ScenarioSchema>;
type CheckInput = z.input<typeof CheckSpecSchema>;
type ActionInput = ScenarioInput['actions'][number];
type AssertionInput = CheckInput['assert'];

/**
 * The example as an exercise spec (scenario and checks, in exercise.yaml's language): wait for the
 * processes, exec, observe, stop, wait for the exit; then one check per claim.
 */
export function exampleExerciseSpec(example: LessonExample): { scenarios: ScenarioInput[]; checks: CheckInput[] } {
  const { spec } = example;
  const { expect } = spec;
  const waitFor = spec.waitFor ?? [expect.pid1, ...(expect.children ?? [])].filter((line): line is string => Boolean(line));
  const actions: ActionInput[] = waitFor.map((line, i) => ({ id: `up-${i + 1}`, do: 'wait-for-process', match: exactly(line), timeoutMs: UP_TIMEOUT_MS }));
  // A process that shows in ps may not have installed its signal handlers yet: wait for its word.
  if (spec.ready) actions.push({ id: 'ready', do: 'wait-for-output', match: literally(spec.ready), timeoutMs: UP_TIMEOUT_MS });
  if (spec.exec) actions.push({ id: 'exec', do: 'exec', command: spec.exec, timeoutMs: 5_000 });
  for (const [i, line] of (expect.respawned ?? []).entries()) {
    actions.push({ id: `respawn-${i + 1}`, do: 'wait-for-process', match: exactly(line), new: true, timeoutMs: UP_TIMEOUT_MS });
  }
  const observes = waitFor.length > 0 || spec.ready !== undefined || spec.waitMs !== undefined || Boolean(expect.pid1 || expect.zombies || expect.running);
  if (observes) actions.push({ id: 'observe', do: 'wait', ms: spec.waitMs ?? 200 });
  if (expect.zombies) actions.push({ id: 'ps', do: 'exec', command: ['ps', '-o', 'stat=,args='], timeoutMs: 5_000 });
  if (spec.stop !== undefined) actions.push({ id: 'stop', do: 'stop', timeoutSec: spec.stop });
  const awaitsExit = spec.stop !== undefined || expect.exitCode !== undefined || expect.exitWithinMs !== undefined;
  if (awaitsExit) actions.push({ id: 'exit', do: 'wait-for-exit', timeoutMs: EXIT_TIMEOUT_MS });
  const firstStep = actions[0]?.id ?? 'exit';

  const checks: CheckInput[] = [];
  const claim = (id: string, title: string, assert: AssertionInput) =>
    checks.push({ id, title, scenario: EXAMPLE_SCENARIO, assert, hint: `the lesson text at ${example.id}` });
  if (expect.pid1) claim('pid1', `PID 1 is ${expect.pid1}`, { type: 'pid1-command', matches: exactly(expect.pid1), at: 'observe' });
  for (const [i, child] of (expect.children ?? []).entries()) {
    claim(`child-${i + 1}`, `${child} is a child of PID 1`, { type: 'child-of', child: exactly(child), parentPid1: true, at: 'observe' });
  }
  if (expect.children) {
    const known = [expect.pid1!, ...expect.children].map(literally).join('|');
    claim('no-other-process', 'no other process runs', { type: 'process-absent', matches: `^(?!(${known})$)`, at: 'observe' });
  }
  for (const [i, zombie] of (expect.zombies ?? []).entries()) {
    claim(`zombie-${i + 1}`, `ps shows the zombie ${zombie}`, { type: 'exec-result', step: 'ps', exitCode: 0, outputMatches: `(^|\\n)\\s*Z\\S*\\s+${literally(zombie)}\\s*(\\n|$)` });
  }
  if (spec.ready) claim('ready', `it writes "${spec.ready}" once up`, { type: 'output-contains', stream: 'any', matches: literally(spec.ready) });
  if (expect.running) claim('running', 'the container is still running', { type: 'running-at', at: 'observe' });
  for (const [i, text] of (expect.output ?? []).entries()) {
    claim(`output-${i + 1}`, `it writes "${text}"`, { type: 'output-contains', stream: 'any', matches: literally(text) });
  }
  if (spec.exec && expect.execExitCode !== undefined) {
    claim('exec-exit-code', `${spec.exec.join(' ')} exits with ${expect.execExitCode}`, { type: 'exec-result', step: 'exec', exitCode: expect.execExitCode });
  }
  for (const [i, line] of (expect.respawned ?? []).entries()) {
    claim(`respawned-${i + 1}`, `${line} is started again`, { type: 'process-respawned', matches: exactly(line), after: 'exec', withinMs: UP_TIMEOUT_MS });
  }
  if (expect.exitCode !== undefined) claim('exit-code', `it exits with ${expect.exitCode}`, { type: 'exit-code', which: 'all', codes: [expect.exitCode] });
  if (expect.exitWithinMs !== undefined) {
    const after = spec.stop !== undefined ? 'stop' : firstStep;
    claim('exit-within', `it exits within ${expect.exitWithinMs} ms of ${after === 'stop' ? 'docker stop' : 'its start'}`, {
      type: 'exited-within',
      after,
      withinMs: expect.exitWithinMs,
      ...(expect.exitCode === undefined ? {} : { codes: [expect.exitCode] }),
    });
  }
  if (expect.restarts !== undefined) claim('restarts', `Docker restarts it ${expect.restarts} time(s)`, { type: 'restart-count', min: expect.restarts, max: expect.restarts });

  const run = { init: spec.run.init, env: spec.run.env, restart: restartOf(spec.run.restart) };
  return { scenarios: [{ id: EXAMPLE_SCENARIO, description: `the example at ${example.id}`, run, actions }], checks };
}
