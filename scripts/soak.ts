// npm run soak [-- --runs 500 --seed N --learners 12 --parallel 3]: hundreds of runs of real exercises
// (solutions and wrong answers) by many learners at once, against a lab server whose engine is the
// second dockerd, while faults land mid-run: the server killed with kill -9 and started again on the
// same database, dockerd killed or restarted, a run's container killed from outside, learners leaving
// a run's stream and coming back or not, drafts saved all along. Then it holds the lab to what it
// promises: every run judged rightly or stopped with words a learner understands, every attempt final,
// every draft as last saved, nothing left behind, a clean exit on SIGTERM. Exits 1 on any failure.
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pickCase, probeCase, soakExercises } from './soak-cases';
import { FaultInjector } from './soak-faults';
import { log, SoakJournal } from './soak-journal';
import { SoakLab } from './soak-lab';
import { SoakLearner } from './soak-learner';
import { countLeftovers, engineProcesses, killProcesses, snapshotHost } from './soak-leftovers';
import { parseSoakOptions, Random, type SoakOptions } from './soak-options';
import { judgeRuns, readFinalStatuses } from './soak-outcomes';
import { attemptsInDatabase, checkDrafts } from './soak-records';
import { printReport } from './soak-report';
import { describeLeftovers, summarize } from './soak-summary';

let options: SoakOptions;
try {
  options = parseSoakOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const seed = new Random(options.seed);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-soak-'));
const journal = new SoakJournal();
const lab = new SoakLab(dir);
const before = snapshotHost();

console.log(
  `soak: ${options.runs} runs by ${options.learners} learners, ${options.parallel} at once, seed ${options.seed} ` +
    `(replay: npm run soak -- --runs ${options.runs} --seed ${options.seed}); servers' logs in ${dir}`,
);

// Interrupted from the keyboard or by CI: the servers and the second engine go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// What the soak cannot go on after (no server starts, a fault could not be injected, a bug of the soak's
// own): every wait below is raced against it, so the soak then stops and still cleans up.
let breakSoak: (error: unknown) => void = () => undefined;
const broken = new Promise<never>((_, reject) => (breakSoak = reject));
broken.catch(() => undefined);
process.on('unhandledRejection', (error) => breakSoak(error));
const unlessBroken = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, broken]);

let failed = true;
try {
  failed = await soak();
} catch (error) {
  console.error(`soak: stopped: ${error instanceof Error ? error.stack : String(error)}`);
  for (const finding of journal.findings) console.error(`- ${finding}`);
} finally {
  await cleanup().catch((error: unknown) => console.error(`soak: cleanup failed: ${String(error)}`));
}
process.exit(failed ? 1 : 0);

/**
 * Whatever happened: no server left, the second engine stopped, and what a crash of its dockerd left
 * running outside it (a shim and the learner's program under it) ended, if the soak's engine left it.
 */
async function cleanup(): Promise<void> {
  await lab.cleanup();
  const strays = engineProcesses().filter((stray) => !before.processes.has(stray.pid));
  if (strays.length) log(`ending ${strays.length} process(es) the second engine left: ${strays.map((s) => s.pid)}`);
  killProcesses(strays);
}

/** The soak itself; resolves true when a check failed or anything was found. */
async function soak(): Promise<boolean> {
  const exercises = soakExercises();
  log('starting the second engine and the first server');
  lab.onStartFailure = (reason) => journal.finding(`a server did not start: ${reason}`);
  await lab.start();
  lab.onCrash = (generation, code) => {
    journal.finding(`server ${generation} exited by itself with ${code}; see ${dir}/server-${generation}.log`);
    void lab.replaceCrashed().catch(breakSoak);
  };
  const learners = Array.from(
    { length: options.learners },
    (_, i) =>
      new SoakLearner(i, lab, journal, seed.fork(`learner ${i} runs`), seed.fork(`learner ${i} drafts`), exercises),
  );
  // One more, the fault injector's, whose runs time each recovery.
  const probe = new SoakLearner(
    options.learners,
    lab,
    journal,
    seed.fork('probe'),
    seed.fork('probe drafts'),
    exercises,
  );
  // Each learner's first draft gives them their cookie, as a page's first save does.
  for (const learner of [...learners, probe])
    await learner.saveDraft(exercises[learner.index % exercises.length], 'first draft');
  if ([...learners, probe].some((learner) => !learner.learnerId))
    throw new Error('a learner got no cookie from PUT /api/drafts');

  const startedAt = Date.now();
  const stopDrafts = new AbortController();
  // Every learner's pause between two drafts listens to it.
  setMaxListeners(options.learners + 1, stopDrafts.signal);
  const drafting = Promise.all(learners.map((learner) => learner.draftLoop(stopDrafts.signal)));
  const done = new AbortController();
  const injector = new FaultInjector(lab, journal, seed.fork('faults'), probe, probeCase(exercises));
  const injecting = injector.loop(done.signal).catch(breakSoak);
  await unlessBroken(runAll(learners, exercises, seed.fork('schedule')));
  done.abort();
  await unlessBroken(injecting);
  stopDrafts.abort();
  await unlessBroken(drafting);
  const durationMs = Date.now() - startedAt;
  log(`all runs done in ${(durationMs / 60_000).toFixed(1)} min; checking`);

  // The runs learners left for good are followed to their end now, as a page opened later would.
  const left = [...journal.runs.values()].filter((run) => run.abandoned);
  await unlessBroken(Promise.all(left.map((run) => learners[run.learner].awaitEnd(run.runId))));
  const attempts = await unlessBroken(readFinalStatuses([...learners, probe], journal));
  const messages = judgeRuns(journal);
  const findingsBeforeDrafts = journal.findings.length;
  const draftsChecked = await unlessBroken(checkDrafts([...learners, probe], journal));
  const draftFindings = journal.findings.length - findingsBeforeDrafts;
  const exitCode = await lab.stopServer();
  log(`the last server exited with ${exitCode} on SIGTERM`);
  if (exitCode !== 0) journal.finding(`the server exited with ${exitCode} on SIGTERM, not 0`);
  const database = await attemptsInDatabase(path.join(dir, 'lab.db'));
  const leftovers = await countLeftovers(lab.engine.docker, before);
  await lab.stopEngine();
  leftovers.processes = engineProcesses().filter((stray) => !before.processes.has(stray.pid));
  for (const item of describeLeftovers(leftovers)) journal.finding(`left behind: ${item}`);

  const end = { durationMs, attempts, messages, draftsChecked, draftFindings, exitCode, database, leftovers, dir };
  const [figures, checks] = summarize(options, journal, end);
  printReport(figures, checks, journal.findings);
  return checks.some((check) => !check.ok);
}

/** The workers: each takes an idle learner (at random) and runs a random case of theirs, until enough runs. */
async function runAll(
  learners: SoakLearner[],
  exercises: ReturnType<typeof soakExercises>,
  random: Random,
): Promise<void> {
  const idle = [...learners];
  let started = 0;
  let finished = 0;
  const worker = async () => {
    while (started < options.runs) {
      started += 1;
      const learner = idle.splice(random.int(0, idle.length - 1), 1)[0];
      await learner.run(pickCase(exercises, learner.random));
      idle.push(learner);
      if (++finished % 10 === 0) log(`${finished} runs done, ${journal.faults.length} faults so far`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, learners.length) }, worker));
}
