// kill -9 of the lab server in the middle of a workshop run: after a restart the learner's draft and
// the attempt are there (the attempt marked interrupted), the run's orphaned container is reaped, and
// the workshop goes on: the learner is still in it, the instructor's dashboard shows them, and their
// next run is counted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Docker from 'dockerode';
import { caseFiles, findExercise } from '../lib/lessons/curriculum';
import type { Dashboard } from '../lib/workshops/dashboard';
import { followSse, startLabServer } from './test-harness';

const databaseUrl = `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-crash-')), 'lab.db')}`;

/** The first dashboard the instructor's stream sends. */
async function dashboardOf(base: string, workshopId: string, key: string): Promise<Dashboard> {
  let dashboard: Dashboard | undefined;
  await followSse(await fetch(`${base}/api/workshops/${workshopId}/dashboard?key=${key}`), (event, data) => {
    if (event !== 'dashboard') return;
    dashboard = (data as { dashboard: Dashboard }).dashboard;
    return true;
  });
  return dashboard!;
}

test(
  'a server killed with SIGKILL mid-run loses no draft, attempt or workshop, and its container is reaped',
  { timeout: 300_000 },
  async () => {
    const exercise = findExercise('main-process-exit/pid1')!;
    const files = caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));

    const first = await startLabServer({ env: { DATABASE_URL: databaseUrl } });
    const base = first.base;
    const saved = await fetch(`${base}/api/drafts?exerciseId=${exercise.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files }),
    });
    assert.equal(saved.status, 200);
    const cookie = saved.headers.get('set-cookie')!.split(';')[0];
    const created = await fetch(`${base}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Crash', exerciseIds: [exercise.id], capacity: 5 }),
    });
    assert.equal(created.status, 201);
    const workshop = (await created.json()) as { workshopId: string; joinCode: string; instructorKey: string };
    const joined = await fetch(`${base}/api/workshops/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ code: workshop.joinCode, displayName: 'Ada' }),
    });
    assert.equal(joined.status, 200);
    const started = await fetch(`${base}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ exerciseId: exercise.id, files }),
    });
    assert.equal(started.status, 202);
    const { runId } = (await started.json()) as { runId: string };

    // Follow the run until its container has started, then kill the server without warning.
    const events = await fetch(`${base}/api/runs/${runId}/events`, { headers: { cookie } });
    const reader = events.body!.getReader();
    let text = '';
    while (!text.includes('"type":"container-start"')) {
      const { value, done } = await reader.read();
      assert.ok(!done, 'the stream ended before the container started');
      text += new TextDecoder().decode(value);
    }
    const docker = new Docker({ socketPath: '/var/run/docker.sock' });
    const running = await docker.listContainers({ all: true, filters: { label: [`lab.run=${runId}`] } });
    assert.equal(running.length, 1, 'the run has its container');
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, null, 'killed by a signal, no exit code');
    await reader.cancel().catch(() => undefined);

    const second = await startLabServer({ env: { DATABASE_URL: databaseUrl } });
    try {
      const left = await docker.listContainers({ all: true, filters: { label: [`lab.run=${runId}`] } });
      assert.deepEqual(left, [], 'the orphaned container was reaped at start-up');
      const runs = (await (
        await fetch(`${second.base}/api/runs?exerciseId=${exercise.id}`, { headers: { cookie } })
      ).json()) as {
        attempts: { runId: string; status: string }[];
      };
      assert.deepEqual(
        runs.attempts.map((attempt) => [attempt.runId, attempt.status]),
        [[runId, 'interrupted']],
      );
      const draft = (await (
        await fetch(`${second.base}/api/drafts?exerciseId=${exercise.id}`, { headers: { cookie } })
      ).json()) as { files: unknown };
      assert.deepEqual(draft.files, files);
      assert.match(second.output(), /Attempts interrupted by an earlier stop of the server attempts=1/);

      // The workshop goes on where it was.
      const mine = (await (await fetch(`${second.base}/api/workshop`, { headers: { cookie } })).json()) as {
        workshop: { id: string; title: string };
      };
      assert.equal(mine.workshop.id, workshop.workshopId);
      const before = await dashboardOf(second.base, workshop.workshopId, workshop.instructorKey);
      assert.deepEqual(
        before.learners.map((row) => [row.displayName, row.cells[exercise.id].state]),
        [['Ada', 'working']],
      );
      const again = await fetch(`${second.base}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ exerciseId: exercise.id, files }),
      });
      assert.equal(again.status, 202);
      const { runId: secondRun } = (await again.json()) as { runId: string };
      await followSse(
        await fetch(`${second.base}/api/runs/${secondRun}/events`, { headers: { cookie } }),
        (event) => event === 'result',
      );
      const after = await dashboardOf(second.base, workshop.workshopId, workshop.instructorKey);
      assert.deepEqual(
        after.learners.map((row) => [row.displayName, row.cells[exercise.id].state, row.cells[exercise.id].attempts]),
        [['Ada', 'passing', 2]],
      );
    } finally {
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    }
  },
);
