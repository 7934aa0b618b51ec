// The lab's command line.
//   npm run --silent lab -- lessons
//   npm run --silent lab -- check <exercise-id> <dir> [--json] [--events]
//   npm run --silent lab -- check <diagnosis-exercise-id> <dir> [--seed N] [--keep] [--json]
// `check` builds and runs the files of <dir> (missing files fall back to the starter files) and
// judges them; exit code 0 pass, 1 fail, 2 error. For a diagnosis exercise it stages the incident of
// seed N (a random one when no seed is given, and says which), observes it, and judges <dir>/answer.json
// against what it observed; with --keep the stopped container is left to investigate. The same seed
// stages the same incident again.
import { config } from '../lib/config';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CheckResult } from '../lib/checks/check-result';
import { planIncident, MAX_SEED } from '../lib/incidents/incident-plan';
import { stageIncident, type Incident } from '../lib/incidents/stage-incident';
import { checkCatalogue, withCatalogue } from '../lib/lessons/check-catalogue';
import { allExercises, loadCurriculum, mergeFiles, type DiagnosisExercise } from '../lib/lessons/curriculum';
import { configureLog } from '../lib/log';
import { describeExit } from '../lib/observe/exit-status';
import { checkDiagnosis } from '../lib/runner/check-diagnosis';
import { runExercise, type RunOutcome } from '../lib/runner/run-exercise';
import { DockerEngine } from '../lib/sandbox/docker-engine';
import type { LearnerFile, Rejection } from '../lib/sandbox/learner-files';
import { reap } from '../lib/sandbox/reaper';

const EXIT = { pass: 0, fail: 1, error: 2 } as const;

function usage(message?: string): never {
  if (message) console.error(`lab: ${message}`);
  console.error(
    'usage: lab lessons\n       lab catalogue [--write]\n       lab check <exercise-id> <dir> [--json] [--events]\n       lab check <diagnosis-exercise-id> <dir> [--seed N] [--keep] [--json]',
  );
  process.exit(2);
}

/** The regular files at the top of `dir`; links and folders are reported, not followed. */
function readLearnerDir(dir: string): { files: LearnerFile[]; problems: Rejection[] } {
  const files: LearnerFile[] = [];
  const problems: Rejection[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink())
      problems.push({ file: entry.name, message: 'symbolic links are not allowed; copy the file instead' });
    else if (entry.isFile())
      files.push({ name: entry.name, content: fs.readFileSync(path.join(dir, entry.name), 'utf8') });
  }
  return { files, problems };
}

function printReport(outcome: RunOutcome, title: string, about: string[] = []) {
  const mark = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' } as const;
  const out: string[] = [
    `${outcome.exerciseId} — ${title}`,
    `run ${outcome.runId}, ${(outcome.durationMs / 1000).toFixed(1)} s`,
    ...about,
    '',
  ];
  for (const check of outcome.checks) {
    out.push(`  ${mark[check.status].padEnd(5)} ${check.title}${check.bonus ? ' (going further)' : ''}`);
    if (check.status !== 'pass') {
      out.push(`        expected: ${check.expected}`);
      out.push(`        observed: ${check.observed}`);
      if (check.evidence?.buildLog?.length)
        out.push('        build output:', ...check.evidence.buildLog.slice(-12).map((line) => `          ${line}`));
      if (check.hint) out.push(`        hint: ${check.hint}`);
    }
  }
  const required = outcome.checks.filter((check) => !check.bonus);
  const passed = required.filter((check) => check.status === 'pass').length;
  const dies = outcome.timeline.events().filter((event) => event.type === 'container-die');
  if (!about.length)
    out.push(
      '',
      `exits seen: ${dies.length ? dies.map((event) => (event.type === 'container-die' ? `${event.scenario}: ${describeExit(event.exitCode, event.oomKilled)}` : '')).join('; ') : 'none'}`,
    );
  out.push(`Result: ${mark[outcome.status]} (${passed} of ${required.length} checks passed)`);
  if (outcome.mistakes[0]) out.push(`Looks like: ${outcome.mistakes[0].about}`);
  console.log(out.join('\n'));
}

function jsonReport(outcome: RunOutcome, withEvents: boolean) {
  const checks = outcome.checks.map((check: CheckResult) => ({
    id: check.id,
    status: check.status,
    message: check.message,
    title: check.title,
    expected: check.expected,
    observed: check.observed,
    hint: check.hint,
    bonus: check.bonus,
    scenario: check.scenario,
    evidence: check.evidence,
  }));
  return {
    status: outcome.status,
    exercise: outcome.exerciseId,
    runId: outcome.runId,
    durationMs: outcome.durationMs,
    checks,
    mistakes: outcome.mistakes,
    ...(withEvents ? { events: outcome.timeline.events() } : {}),
  };
}

/** The value given after `--name`, removed from args; undefined when the option is absent. */
function takeOption(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const [, value] = args.splice(index, 2);
  if (value === undefined || value.startsWith('--')) usage(`${name} needs a value`);
  return value;
}

/** Stages the incident of the seed, observes it, and judges answer.json against what was observed. */
async function checkDiagnosisAnswer(
  exercise: DiagnosisExercise,
  files: LearnerFile[],
  options: { seed?: string; keep: boolean; json: boolean },
) {
  const seed = options.seed === undefined ? randomInt(1_000_000) : Number(options.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    usage(`--seed takes a whole number from 0 to ${MAX_SEED}`);
  const engine = new DockerEngine();
  await reap(engine.docker, 'orphans');
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  if (!options.json)
    console.log(
      `Incident seed ${seed}${options.seed === undefined ? ' (chosen at random; pass --seed to stage it again)' : ''}`,
    );
  let incident: Incident;
  try {
    incident = await stageIncident({
      engine,
      plan: planIncident(seed),
      owner: `cli:${process.env.USER ?? 'user'}`,
      containerName: exercise.spec.incident.container,
      signal: abort.signal,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (options.json) console.log(JSON.stringify({ status: 'error', exercise: exercise.id, seed, error: message }));
    else console.log(`ERROR the lab could not stage the incident: ${message}`);
    process.exitCode = abort.signal.aborted ? 130 : EXIT.error;
    return;
  }
  const outcome = await checkDiagnosis({ exercise, files, truth: incident.truth });
  const about = [`incident seed ${seed}: container ${incident.engineName} (${incident.image})`];
  if (options.keep) about.push(`kept for you to investigate: docker logs ${incident.engineName} --tail 50`);
  else await incident.remove();
  if (options.json)
    console.log(
      JSON.stringify({ ...jsonReport(outcome, false), seed, container: incident.engineName, kept: options.keep }),
    );
  else printReport(outcome, exercise.spec.title, about);
  process.exitCode = EXIT[outcome.status];
}

async function check(args: string[]) {
  const json = args.includes('--json');
  const withEvents = args.includes('--events');
  const keep = args.includes('--keep');
  const seed = takeOption(args, '--seed');
  const [exerciseId, dir] = args.filter((arg) => !arg.startsWith('--'));
  if (!exerciseId || !dir) usage('check needs an exercise id and a folder');
  const exercises = allExercises(loadCurriculum());
  const exercise = exercises.find((candidate) => candidate.id === exerciseId);
  if (!exercise) usage(`no exercise ${exerciseId}; known: ${exercises.map((e) => e.id).join(', ')}`);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) usage(`${dir} is not a folder`);
  const { files, problems } = readLearnerDir(dir);
  if (exercise.kind === 'diagnosis') {
    if (problems.length) usage(problems.map((problem) => `${problem.file}: ${problem.message}`).join('; '));
    return checkDiagnosisAnswer(
      exercise,
      mergeFiles(
        exercise.starter,
        files.filter((file) => exercise.spec.files.includes(file.name)),
      ),
      { seed, keep, json },
    );
  }
  if (seed !== undefined || keep)
    usage(`--seed and --keep are for diagnosis exercises; ${exercise.id} builds your files`);
  const engine = new DockerEngine();
  await reap(engine.docker, 'orphans');
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const outcome = await runExercise({
    engine,
    exercise,
    files: mergeFiles(exercise.starter, files),
    extraProblems: problems,
    owner: `cli:${process.env.USER ?? 'user'}`,
    signal: abort.signal,
  });
  await reap(engine.docker, 'mine');
  if (json) console.log(JSON.stringify(jsonReport(outcome, withEvents)));
  else printReport(outcome, exercise.spec.title);
  process.exitCode = abort.signal.aborted ? 130 : EXIT[outcome.status];
}

function lessons() {
  for (const lesson of loadCurriculum()) {
    console.log(`${lesson.title}  (${lesson.slug})`);
    for (const exercise of lesson.exercises) console.log(`  ${exercise.id.padEnd(40)} ${exercise.spec.title}`);
  }
}

/** The README's check catalogue: printed, or written into README.md with --write. */
function catalogue(args: string[]) {
  const text = checkCatalogue(loadCurriculum());
  if (!args.includes('--write')) return console.log(text);
  const readme = path.resolve('README.md');
  fs.writeFileSync(readme, withCatalogue(fs.readFileSync(readme, 'utf8'), text));
  console.log(`lab: wrote the check catalogue into ${readme}`);
}

// The command line reports on stdout; its log says only warnings unless LAB_LOG is given.
configureLog({ stream: process.stderr, level: process.env.LAB_LOG ? config().LAB_LOG : 'warn' });
const [command, ...rest] = process.argv.slice(2);
if (command === 'lessons') lessons();
else if (command === 'catalogue') catalogue(rest);
else if (command === 'check') await check(rest);
else usage(command ? `unknown command ${command}` : undefined);
