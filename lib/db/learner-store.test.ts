// The store on a real SQLite file, migrated as the setup migrates it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-db-')), 'test.db');
process.env.DATABASE_URL = `file:${file}`;

let store: typeof import('./learner-store');

before(async () => {
  // @ts-expect-error plain JavaScript module of the setup
  const { migrate } = await import('../../scripts/database.mjs');
  assert.deepEqual(await migrate({ DATABASE_URL: `file:${file}` }), ['20261122040000_init']);
  assert.deepEqual(await migrate({ DATABASE_URL: `file:${file}` }), [], 'a second migrate applies nothing');
  store = await import('./learner-store');
});

test('drafts are saved per learner and exercise, and replaced', async () => {
  await store.saveDraft('l0000000000000001', 'a/b', [{ name: 'Dockerfile', content: 'one' }]);
  await store.saveDraft('l0000000000000001', 'a/b', [{ name: 'Dockerfile', content: 'two' }]);
  assert.deepEqual(await store.loadDraft('l0000000000000001', 'a/b'), [{ name: 'Dockerfile', content: 'two' }]);
  assert.equal(await store.loadDraft('l0000000000000002', 'a/b'), null, "another learner's draft is not there");
});

test('attempts record files, status and checks, and progress counts them', async () => {
  const learner = 'l0000000000000003';
  await store.recordAttemptStart({ id: 'r1', learnerId: learner, exerciseId: 'a/b', files: [{ name: 'Dockerfile', content: 'x' }] });
  assert.equal((await store.attemptsOf(learner, 'a/b'))[0].status, 'running');
  await store.recordAttemptEnd({ id: 'r1', learnerId: learner, exerciseId: 'a/b', status: 'fail', checks: [], summary: { durationMs: 5 } });
  await store.recordAttemptStart({ id: 'r2', learnerId: learner, exerciseId: 'a/b', files: [] });
  await store.recordAttemptEnd({ id: 'r2', learnerId: learner, exerciseId: 'a/b', status: 'pass', checks: [], summary: {} });
  const progress = await store.progressOf(learner);
  assert.equal(progress.length, 1);
  assert.equal(progress[0].status, 'passing');
  assert.equal(progress[0].attempts, 2);
  assert.ok(progress[0].passedAt);
  const attempts = await store.attemptsOf(learner, 'a/b');
  assert.deepEqual(attempts.map((a) => a.status).sort(), ['fail', 'pass']);
});

test('attempts left running by a dead server are marked interrupted', async () => {
  await store.recordAttemptStart({ id: 'r9', learnerId: 'l0000000000000004', exerciseId: 'a/b', files: [] });
  assert.ok((await store.markInterruptedAttempts()) >= 1);
  assert.equal((await store.attemptsOf('l0000000000000004', 'a/b'))[0].status, 'interrupted');
});

test('showing the solution is recorded', async () => {
  await store.recordSolutionShown('l0000000000000005', 'a/b');
  assert.ok((await store.progressOf('l0000000000000005'))[0].solutionShownAt);
});
