// Proves the curriculum on the real engine: every starter fails, every solution passes (bonus checks
// included), every alternative solution passes, and every wrong/<mistake>/ case fails on each check
// its mistake names. Part of `npm test`.
// A diagnosis exercise's cases answer incidents: each case folder holds seed-<N>/ folders, and each
// answer is checked against what the lab observed when it staged incident N. Its solutions must cover
// every cause, and the starter must fail every incident.
//   npm run check-lessons [-- <exercise-id-prefix>...]
import { judgePredictions } from '../lib/checks/predictions';
import { CAUSES } from '../lib/incidents/causes';
import { planIncident } from '../lib/incidents/incident-plan';
import { stageIncident } from '../lib/incidents/stage-incident';
import {
  allExercises,
  caseFiles,
  caseNames,
  caseSeeds,
  loadCurriculum,
  mistakeOfCase,
  type DiagnosisExercise,
  type Exercise,
} from '../lib/lessons/curriculum';
import { configureLog } from '../lib/log';
import { checkDiagnosis } from '../lib/runner/check-diagnosis';
import { runExercise, type RunOutcome } from '../lib/runner/run-exercise';
import { DockerEngine } from '../lib/sandbox/docker-engine';
import { labelledResources, reap } from '../lib/sandbox/reaper';
import { checkLessonExamples } from './lesson-examples';
import { signalTrace } from '../lib/observe/signal-trace';

interface Case {
  exercise: Exercise;
  name: string;
  dir: string;
  expect: 'pass' | 'pass-with-bonus' | 'fail';
  mustFail: string[];
  /** The known mistake the learner must be shown for it (alone); none when undefined. */
  looksLike?: string;
  /** For a diagnosis exercise: the incident the case answers. */
  seed?: number;
}

function casesOf(exercise: Exercise): Case[] {
  const cases: Case[] = [
    { exercise, name: 'starter', dir: '.', expect: 'fail', mustFail: [], looksLike: exercise.spec.starter_looks_like },
    { exercise, name: 'solution', dir: 'solution', expect: 'pass-with-bonus', mustFail: [] },
  ];
  for (const name of caseNames(exercise, 'alternatives')) {
    cases.push({ exercise, name: `alternatives/${name}`, dir: `alternatives/${name}`, expect: 'pass', mustFail: [] });
  }
  for (const name of caseNames(exercise, 'wrong')) {
    cases.push({
      exercise,
      name: `wrong/${name}`,
      dir: `wrong/${name}`,
      expect: 'fail',
      mustFail: exercise.spec.mistakes[mistakeOfCase(name)]?.fails ?? [],
      looksLike: mistakeOfCase(name),
    });
  }
  if (exercise.kind === 'build') return cases;
  // One case per incident a case folder answers; the starter answers every incident (wrongly).
  const seeds = [...new Set(cases.flatMap((c) => caseSeeds(exercise, c.dir)))].sort((a, b) => a - b);
  return cases.flatMap((c) =>
    (c.name === 'starter' ? seeds : caseSeeds(exercise, c.dir)).map((seed) => ({
      ...c,
      name: `${c.name}/seed-${seed}`,
      dir: c.name === 'starter' ? '.' : `${c.dir}/seed-${seed}`,
      seed,
    })),
  );
}

/** Why a case's outcome is not what it must be; empty when it is. */
function judge(testCase: Case, outcome: RunOutcome): string[] {
  const problems: string[] = [];
  const failing = (check: { status: string }) => check.status !== 'pass';
  if (outcome.status === 'error') {
    problems.push(
      `platform error: ${outcome.checks
        .filter((c) => c.status === 'error')
        .map((c) => `${c.id}: ${c.observed}`)
        .join('; ')}`,
    );
    return problems;
  }
  if (testCase.expect === 'fail' && outcome.status !== 'fail') problems.push('expected to fail, but passed');
  if (testCase.expect !== 'fail') {
    const mustPass = outcome.checks.filter((check) => testCase.expect === 'pass-with-bonus' || !check.bonus);
    for (const check of mustPass.filter(failing)) problems.push(`${check.id} failed: ${check.message}`);
  }
  for (const id of testCase.mustFail) {
    const check = outcome.checks.find((candidate) => candidate.id === id);
    if (!check) problems.push(`no check ${id}`);
    else if (!failing(check)) problems.push(`${id} should fail for this mistake, but passed: ${check.message}`);
  }
  // What the learner is told the result looks like must be right: a wrong case is its own mistake and
  // nothing else, the starter is the mistake its exercise names (starter_looks_like) or none.
  if (testCase.expect === 'fail' && outcome.status === 'fail') {
    const expected = testCase.looksLike;
    const shown = shownMistakes(outcome);
    if (expected ? shown.join() !== expected : shown.length > 0)
      problems.push(`looks like ${shown.join(', ') || 'no known mistake'}; expected ${expected ?? 'no known mistake'}`);
  }
  // The starter's and the solution's runs answer every prediction question with one of its choices.
  for (const prediction of casePredictions(testCase, outcome))
    if (!prediction.observed)
      problems.push(`prediction ${prediction.id}: none of its choices was seen (${prediction.saw})`);
  return problems;
}

/** The prediction questions judged on the starter's or the solution's run (none for other cases). */
function casePredictions(testCase: Case, outcome: RunOutcome) {
  const { exercise } = testCase;
  if (exercise.kind !== 'build' || !['starter', 'solution'].includes(testCase.name)) return [];
  return judgePredictions(exercise.spec.predictions, {}, outcome.timeline.events());
}

/** The mistakes the learner is shown: the most specific ones, as the check list shows them. */
function shownMistakes(outcome: RunOutcome): string[] {
  return outcome.mistakes.filter((m) => m.checks === outcome.mistakes[0]?.checks).map((m) => m.id);
}

/** Reports one case; true when it came out as it must. */
function report(testCase: Case, outcome: RunOutcome): boolean {
  const problems = judge(testCase, outcome);
  const label = `${testCase.exercise.id} ${testCase.name}`;
  const summary = outcome.checks.map((c) => `${c.id}:${c.status}`).join(' ');
  const looksNote =
    outcome.status === 'fail'
      ? ` looks like: ${shownMistakes(outcome).join(', ') || 'no known mistake'} (failed: ${outcome.checks
          .filter((c) => c.status === 'fail')
          .map((c) => c.id)
          .join(', ')})`
      : '';
  const predictions = casePredictions(testCase, outcome)
    .map((p) => ` ${p.id}=${p.observed?.id ?? '?'}`)
    .join('');
  const predictionNote = predictions ? ` predictions:${predictions}` : '';
  if (problems.length === 0)
    say(
      `ok     ${label.padEnd(58)} ${outcome.status} (${(outcome.durationMs / 1000).toFixed(1)} s)${looksNote}${predictionNote}`,
    );
  else
    say(
      `NOT OK ${label.padEnd(58)} ${outcome.status}\n         ${problems.join('\n         ')}\n         checks: ${summary}`,
    );
  return problems.length === 0;
}

/**
 * The cases of a diagnosis exercise, incident by incident (one at a time: the incident container has
 * one name per owner). Returns how many came out as they must, and how many did not.
 */
async function proveDiagnosis(
  engine: DockerEngine,
  exercise: DiagnosisExercise,
  cases: Case[],
): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  const solved = new Set<string>();
  for (const seed of [...new Set(cases.map((c) => c.seed!))]) {
    const ofSeed = cases.filter((c) => c.seed === seed);
    let incident;
    try {
      incident = await stageIncident({
        engine,
        plan: planIncident(seed),
        owner: 'check-lessons',
        containerName: exercise.spec.incident.container,
      });
    } catch (error) {
      failed += ofSeed.length;
      say(
        `NOT OK ${exercise.id} seed-${seed}: platform error: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    try {
      for (const testCase of ofSeed) {
        const outcome = await checkDiagnosis({
          exercise,
          files: caseFiles(exercise, testCase.dir),
          truth: incident.truth,
        });
        if (report(testCase, outcome)) passed++;
        else failed++;
        if (testCase.expect === 'pass-with-bonus' && outcome.status === 'pass') solved.add(incident.truth.cause);
      }
    } finally {
      await incident.remove();
    }
  }
  const unsolved = CAUSES.filter((cause) => !solved.has(cause));
  if (unsolved.length) {
    failed++;
    say(`NOT OK ${exercise.id}: no solution/seed-<N>/ answers an incident of cause ${unsolved.join(', ')}`);
  }
  return { passed, failed };
}

/** What came out wrong, said again at the end so that the tail of a long log shows it. */
const notOk: string[] = [];

/** Prints one line of the report, keeping the lines of what came out wrong. */
function say(line: string) {
  console.log(line);
  if (line.startsWith('NOT OK')) notOk.push(line);
}

async function main() {
  configureLog({ stream: process.stderr, level: 'warn' });
  const filters = process.argv.slice(2);
  const exercises = allExercises(loadCurriculum()).filter(
    (e) => filters.length === 0 || filters.some((f) => e.id.startsWith(f)),
  );
  const cases = exercises.flatMap(casesOf);
  const engine = new DockerEngine();
  // A job is one case of a build exercise, or all the cases of a diagnosis exercise.
  const jobs: Case[][] = [
    ...exercises.filter((e) => e.kind === 'diagnosis').map((e) => cases.filter((c) => c.exercise === e)),
    ...cases.filter((c) => c.exercise.kind === 'build').map((c) => [c]),
  ];
  const concurrency = Number(process.env.LAB_CHECK_CONCURRENCY ?? 6);
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  const queue = [...jobs];
  const traced = signalTrace()
    ? 'signals traced'
    : 'signals NOT traced (no tracefs): the cases that need the trace fail';
  say(`check-lessons: ${cases.length} cases in ${exercises.length} exercises, ${concurrency} at a time, ${traced}`);
  async function worker() {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const [first] = job;
      if (first.exercise.kind === 'diagnosis') {
        const counts = await proveDiagnosis(engine, first.exercise, job);
        passed += counts.passed;
        failed += counts.failed;
        continue;
      }
      const outcome = await runExercise({
        engine,
        exercise: first.exercise,
        files: caseFiles(first.exercise, first.dir),
        owner: 'check-lessons',
      });
      if (report(first, outcome)) passed++;
      else failed++;
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const examples = await checkLessonExamples(engine, filters, { print: say });
  passed += examples.passed;
  failed += examples.failed;
  await reap(engine.docker, 'mine');
  const left = await labelledResources(engine.docker, 'check-lessons');
  if (left.containers.length || left.images.length) {
    failed++;
    say(
      `NOT OK leftovers: ${left.containers.length} container(s), ${left.images.length} image(s) labelled check-lessons`,
    );
  }
  if (notOk.length) console.log(`\ncheck-lessons: what did not come out as it must:\n${notOk.join('\n')}\n`);
  say(`check-lessons: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = failed ? 1 : 0;
}

await main();
