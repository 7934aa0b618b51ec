// Proves the curriculum on the real engine: every starter fails, every solution passes (bonus checks
// included), every alternative solution passes, and every wrong/<mistake>/ case fails on each check
// its mistake names. Part of `npm test`.
//   npm run check-lessons [-- <exercise-id-prefix>...]
import { allExercises, caseFiles, caseNames, loadCurriculum, type Exercise } from '../lib/lessons/curriculum';
import { configureLog } from '../lib/log';
import { runExercise, type RunOutcome } from '../lib/runner/run-exercise';
import { DockerEngine } from '../lib/sandbox/docker-engine';
import { labelledResources, reap } from '../lib/sandbox/reaper';

interface Case {
  exercise: Exercise;
  name: string;
  dir: string;
  expect: 'pass' | 'pass-with-bonus' | 'fail';
  mustFail: string[];
}

function casesOf(exercise: Exercise): Case[] {
  const cases: Case[] = [
    { exercise, name: 'starter', dir: '.', expect: 'fail', mustFail: [] },
    { exercise, name: 'solution', dir: 'solution', expect: 'pass-with-bonus', mustFail: [] },
  ];
  for (const name of caseNames(exercise, 'alternatives')) {
    cases.push({ exercise, name: `alternatives/${name}`, dir: `alternatives/${name}`, expect: 'pass', mustFail: [] });
  }
  for (const name of caseNames(exercise, 'wrong')) {
    cases.push({ exercise, name: `wrong/${name}`, dir: `wrong/${name}`, expect: 'fail', mustFail: exercise.spec.mistakes[name]?.fails ?? [] });
  }
  return cases;
}

/** Why a case's outcome is not what it must be; empty when it is. */
function judge(testCase: Case, outcome: RunOutcome): string[] {
  const problems: string[] = [];
  const failing = (check: { status: string }) => check.status !== 'pass';
  if (outcome.status === 'error') {
    problems.push(`platform error: ${outcome.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.observed}`).join('; ')}`);
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
  return problems;
}

async function main() {
  configureLog({ stream: process.stderr, level: 'warn' });
  const filters = process.argv.slice(2);
  const exercises = allExercises(loadCurriculum()).filter((e) => filters.length === 0 || filters.some((f) => e.id.startsWith(f)));
  const cases = exercises.flatMap(casesOf);
  const engine = new DockerEngine();
  const concurrency = Number(process.env.LAB_CHECK_CONCURRENCY ?? 6);
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  const queue = [...cases];
  console.log(`check-lessons: ${cases.length} cases in ${exercises.length} exercises, ${concurrency} at a time`);
  async function worker() {
    for (let testCase = queue.shift(); testCase; testCase = queue.shift()) {
      const outcome = await runExercise({
        engine,
        exercise: testCase.exercise,
        files: caseFiles(testCase.exercise, testCase.dir),
        owner: 'check-lessons',
      });
      const problems = judge(testCase, outcome);
      const label = `${testCase.exercise.id} ${testCase.name}`;
      const summary = outcome.checks.map((c) => `${c.id}:${c.status}`).join(' ');
      if (problems.length === 0) {
        passed++;
        console.log(`ok     ${label.padEnd(58)} ${outcome.status} (${(outcome.durationMs / 1000).toFixed(1)} s)`);
      } else {
        failed++;
        console.log(`NOT OK ${label.padEnd(58)} ${outcome.status}\n         ${problems.join('\n         ')}\n         checks: ${summary}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  await reap(engine.docker, 'mine');
  const left = await labelledResources(engine.docker, 'check-lessons');
  if (left.containers.length || left.images.length) {
    failed++;
    console.log(`NOT OK leftovers: ${left.containers.length} container(s), ${left.images.length} image(s) labelled check-lessons`);
  }
  console.log(`check-lessons: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = failed ? 1 : 0;
}

await main();
