// The store's tests, run once on SQLite and once on PostgreSQL (each in its own test file, since the
// client is chosen from DATABASE_URL once per process).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { defineHintStoreTests } from './hint-store-cases';
import { defineWorkshopStoreTests } from './workshop-store-cases';

/** Defines the store tests against the database DATABASE_URL names, migrating it first. */
export function defineStoreTests(databaseUrl: string): void {
  process.env.DATABASE_URL = databaseUrl;
  let store: typeof import('./learner-store');
  // Learner ids of this run: a PostgreSQL test database outlives the run.
  const learner = () => `l${randomBytes(8).toString('hex')}`;

  before(async () => {
    // @ts-expect-error plain JavaScript module of the setup
    const { migrate } = await import('../../scripts/database.mjs');
    await migrate({ DATABASE_URL: databaseUrl });
    assert.deepEqual(await migrate({ DATABASE_URL: databaseUrl }), [], 'a second migrate applies nothing');
    store = await import('./learner-store');
  });

  test('drafts are saved per learner and exercise, and replaced', async () => {
    const one = learner();
    await store.saveDraft(one, 'a/b', [{ name: 'Dockerfile', content: 'one' }]);
    await store.saveDraft(one, 'a/b', [{ name: 'Dockerfile', content: 'two' }]);
    assert.deepEqual(await store.loadDraft(one, 'a/b'), [{ name: 'Dockerfile', content: 'two' }]);
    assert.equal(await store.loadDraft(learner(), 'a/b'), null, "another learner's draft is not there");
  });

  test('attempts record files, status and checks, and progress counts them', async () => {
    const one = learner();
    const [r1, r2] = [`r${randomBytes(6).toString('hex')}`, `r${randomBytes(6).toString('hex')}`];
    await store.recordAttemptStart({
      id: r1,
      learnerId: one,
      exerciseId: 'a/b',
      files: [{ name: 'Dockerfile', content: 'x' }],
    });
    assert.equal((await store.attemptsOf(one, 'a/b'))[0].status, 'running');
    await store.recordAttemptEnd({
      id: r1,
      learnerId: one,
      exerciseId: 'a/b',
      status: 'fail',
      checks: [],
      summary: { durationMs: 5 },
    });
    await store.recordAttemptStart({ id: r2, learnerId: one, exerciseId: 'a/b', files: [] });
    await store.recordAttemptEnd({
      id: r2,
      learnerId: one,
      exerciseId: 'a/b',
      status: 'pass',
      checks: [],
      summary: {},
    });
    const progress = await store.progressOf(one);
    assert.equal(progress.length, 1);
    assert.equal(progress[0].status, 'passing');
    assert.equal(progress[0].attempts, 2);
    assert.ok(progress[0].passedAt instanceof Date);
    const attempts = await store.attemptsOf(one, 'a/b');
    assert.deepEqual(attempts.map((a) => a.status).sort(), ['fail', 'pass']);
    assert.deepEqual(attempts.find((a) => a.id === r1)?.files, [{ name: 'Dockerfile', content: 'x' }]);
  });

  /** A new learner with one attempt at a/b, still running. */
  async function learnerWithRunningAttempt(): Promise<string> {
    const one = learner();
    await store.recordAttemptStart({
      id: `r${randomBytes(6).toString('hex')}`,
      learnerId: one,
      exerciseId: 'a/b',
      files: [],
    });
    return one;
  }

  test('attempts left running by a dead server are marked interrupted', async () => {
    const one = await learnerWithRunningAttempt();
    assert.ok((await store.markInterruptedAttempts()) >= 1);
    assert.equal((await store.attemptsOf(one, 'a/b'))[0].status, 'interrupted');
  });

  test("a cell of several marks only attempts older than any run: another cell's run in flight is not its own", async () => {
    const one = await learnerWithRunningAttempt();
    await store.markInterruptedAttempts(new Date(Date.now() - 60 * 60_000));
    assert.equal((await store.attemptsOf(one, 'a/b'))[0].status, 'running', 'started a moment ago: left alone');
    await store.markInterruptedAttempts(new Date(Date.now() + 1_000));
    assert.equal((await store.attemptsOf(one, 'a/b'))[0].status, 'interrupted');
  });

  test("an attempt keeps the learner's predictions, then what the run showed of each", async () => {
    const one = learner();
    const run = `r${randomBytes(6).toString('hex')}`;
    const question = { id: 'who-is-pid1', question: 'Which process will be PID 1?' };
    const predicted = { id: 'node', text: 'node server.js' };
    await store.recordAttemptStart({
      id: run,
      learnerId: one,
      exerciseId: 'a/b',
      files: [],
      predictions: [{ ...question, predicted, saw: 'not observed: the run did not finish' }],
    });
    assert.equal((await store.attemptsOf(one, 'a/b'))[0].predictions?.[0].predicted?.id, 'node');
    const judged = [
      {
        ...question,
        predicted,
        observed: { id: 'shell', text: 'a shell' },
        saw: 'PID 1 was "/bin/sh -c node server.js"',
        evidence: { seq: 12, t: 2300, type: 'snapshot', summary: '1:/bin/sh -c node server.js' },
      },
    ];
    await store.recordAttemptEnd({
      id: run,
      learnerId: one,
      exerciseId: 'a/b',
      status: 'fail',
      checks: [],
      summary: {},
      predictions: judged,
    });
    assert.deepEqual((await store.attemptsOf(one, 'a/b'))[0].predictions, judged);
    const none = `r${randomBytes(6).toString('hex')}`;
    await store.recordAttemptStart({ id: none, learnerId: one, exerciseId: 'a/c', files: [] });
    assert.equal((await store.attemptsOf(one, 'a/c'))[0].predictions, undefined, 'no predictions, none stored');
  });

  test('a learner may set a display name, and change it', async () => {
    const one = learner();
    assert.equal(await store.displayNameOf(one), null);
    await store.setDisplayName(one, 'Ada');
    await store.setDisplayName(one, 'Ada L.');
    assert.equal(await store.displayNameOf(one), 'Ada L.');
  });

  test('an incident is recorded as starting, then with the truth observed; attempts name the incident they were checked against', async () => {
    const incidents = await import('./incident-store');
    const one = learner();
    const id = `i${randomBytes(6).toString('hex')}`;
    await incidents.recordIncidentStart({ id, learnerId: one, exerciseId: 'a/diagnose', seed: 28 });
    assert.equal((await incidents.latestIncident(one, 'a/diagnose'))?.status, 'starting');
    const truth = {
      seed: 28,
      cause: 'exit-code-swallowed' as const,
      pid1Command: '/bin/sh /app/start.sh',
      startedCommand: ['/app/start.sh'],
      otherCommands: ['node api.js'],
      exitCode: 0,
      oomKilled: false,
    };
    await incidents.recordIncidentTruth(id, 'c0ffee', truth);
    const ready = await incidents.latestIncident(one, 'a/diagnose');
    assert.equal(ready?.status, 'ready');
    assert.equal(ready?.containerId, 'c0ffee');
    assert.deepEqual(ready?.truth, truth);
    assert.deepEqual(await incidents.incidentById(id), ready);
    const run = `r${randomBytes(6).toString('hex')}`;
    await store.recordAttemptStart({ id: run, learnerId: one, exerciseId: 'a/diagnose', files: [], incidentId: id });
    assert.equal((await store.attemptsOf(one, 'a/diagnose'))[0].incidentId, id);

    const failed = `i${randomBytes(6).toString('hex')}`;
    await incidents.recordIncidentStart({ id: failed, learnerId: one, exerciseId: 'a/diagnose', seed: 3 });
    await incidents.recordIncidentError(failed, 'the engine went away');
    const latest = await incidents.latestIncident(one, 'a/diagnose');
    assert.deepEqual(
      [latest?.id, latest?.status, latest?.truth, latest?.error],
      [failed, 'error', undefined, 'the engine went away'],
    );
    assert.equal(
      await incidents.latestIncident(learner(), 'a/diagnose'),
      null,
      "another learner's incidents are not theirs",
    );
  });

  test('showing the solution is recorded', async () => {
    const one = learner();
    await store.recordSolutionShown(one, 'a/b');
    assert.ok((await store.progressOf(one))[0].solutionShownAt instanceof Date);
  });

  defineWorkshopStoreTests();
  defineHintStoreTests();
}
