// The lab server as a user starts it: `npm start`, in the foreground, against the real engine. It
// serves the pages and the run API, streams a run's events (resuming after a reconnect without
// repeats), keeps one learner's runs from another, writes no PID file, and on SIGTERM shuts down
// cleanly with code 0.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { caseFiles, findExercise } from '../lib/lessons/curriculum';
import { readSse, startLabServer, type LabServer } from './test-harness';

const root = path.resolve(import.meta.dirname, '..');
let server: LabServer;
let base = '';
const pidFilesBefore = new Set<string>();

function pidFiles(): string[] {
  const dirs = [root, os.tmpdir(), '/run', '/var/run'];
  return dirs.flatMap((dir) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((name) => name.endsWith('.pid'))
          .map((name) => path.join(dir, name))
      : [],
  );
}

async function startRun(files: { name: string; content: string }[], cookie?: string) {
  return fetch(`${base}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ exerciseId: 'main-process-exit/pid1', files }),
  });
}

before(async () => {
  pidFiles().forEach((file) => pidFilesBefore.add(file));
  server = await startLabServer({ npm: true, env: { LAB_SKIP_DOCKER_SETUP: '' } });
  base = server.base;
});

after(async () => {
  // npm runs `exec node scripts/start.mjs`, so the signal reaches the server itself.
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, `exit code after SIGTERM; output:\n${server.output()}`);
  assert.match(server.output(), /Shutting down signal=SIGTERM/);
  assert.match(server.output(), /Stopped/);
  assert.deepEqual(
    pidFiles().filter((file) => !pidFilesBefore.has(file)),
    [],
    'no PID file written',
  );
});

describe('the lab server', { timeout: 180_000 }, () => {
  test('serves the lessons, a lesson, an exercise workbench and the health check', async () => {
    const home = await fetch(`${base}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /href="\/exercises\/main-process-exit\/pid1"/);
    const lesson = await fetch(`${base}/lessons/main-process-exit`);
    assert.equal(lesson.status, 200);
    assert.match(await lesson.text(), /class="hljs language-dockerfile"/);
    const exercise = await fetch(`${base}/exercises/main-process-exit/pid1`);
    assert.equal(exercise.status, 200);
    assert.match(await exercise.text(), /Make the server PID 1/);
    assert.equal((await fetch(`${base}/exercises/main-process-exit/nope`)).status, 404);
    const health = await fetch(`${base}/api/health`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as { engine: { ok: boolean; labImages: string[] } };
    assert.equal(body.engine.ok, true);
    assert.ok(body.engine.labImages.includes('lab/node'));
  });

  test('a learner sets a display name without signing up', async () => {
    const saved = await fetch(`${base}/api/learner`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Grace' }),
    });
    assert.equal(saved.status, 200);
    const cookie = saved.headers.get('set-cookie')!.split(';')[0];
    assert.deepEqual(await (await fetch(`${base}/api/learner`, { headers: { cookie } })).json(), {
      displayName: 'Grace',
    });
    const empty = await fetch(`${base}/api/learner`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ displayName: '  ' }),
    });
    assert.equal(empty.status, 400);
    assert.deepEqual(
      await (await fetch(`${base}/api/learner`)).json(),
      { displayName: null },
      'a visitor without a cookie has no name',
    );
  });

  test('refuses bad run requests with a clear 4xx', async () => {
    const bad = await fetch(`${base}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"exerciseId": 3}',
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /exerciseId/);
    const unknownExercise = await fetch(`${base}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ exerciseId: 'no-such/thing', files: [] }),
    });
    assert.equal(unknownExercise.status, 404);
    const strayFile = await startRun([{ name: 'evil.sh', content: 'x' }]);
    assert.equal(strayFile.status, 400);
    assert.match(((await strayFile.json()) as { error: string }).error, /no file evil\.sh/);
    const huge = await startRun([{ name: 'server.js', content: 'x'.repeat(70_000) }]);
    assert.equal(huge.status, 400);
    const notJson = await fetch(`${base}/api/runs`, { method: 'POST', body: 'hello' });
    assert.equal(notJson.status, 400);
  });

  test('runs an exercise, streams its events, resumes after a reconnect, and keeps them from other learners', async () => {
    const exercise = findExercise('main-process-exit/pid1')!;
    const files = caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));
    const started = await startRun(files);
    assert.equal(started.status, 202);
    const cookie = started.headers.get('set-cookie')!.split(';')[0];
    assert.match(cookie, /^lab_learner=l[0-9a-f]{16}\./);
    const { runId } = (await started.json()) as { runId: string };

    // The same learner cannot start a second run while one is in progress.
    const second = await startRun(files, cookie);
    assert.equal(second.status, 409);

    const all = await readSse(await fetch(`${base}/api/runs/${runId}/events`, { headers: { cookie } }));
    const timeline = all.filter((message) => message.event === 'timeline');
    assert.deepEqual(
      timeline.map((message) => message.id),
      timeline.map((_, index) => index),
      'every event once, in order',
    );
    assert.ok(timeline.some((message) => (message.data as { type: string }).type === 'snapshot'));
    const result = all.find((message) => message.event === 'result')!.data as {
      status: string;
      checks: { id: string; status: string }[];
    };
    assert.equal(result.status, 'pass', JSON.stringify(result.checks));

    // A page that reconnects after event 9 gets event 10 onwards, nothing twice.
    const resumed = (
      await readSse(await fetch(`${base}/api/runs/${runId}/events`, { headers: { cookie, 'last-event-id': '9' } }))
    ).filter((m) => m.event === 'timeline');
    assert.equal(resumed[0].id, 10);
    assert.equal(resumed.length, timeline.length - 10);

    // Another learner (another cookie, or none, or a forged one) does not see the run.
    assert.equal((await fetch(`${base}/api/runs/${runId}/events`)).status, 404);
    const forged = cookie.replace(/\.[^.]+$/, '.AAAA');
    assert.equal((await fetch(`${base}/api/runs/${runId}/events`, { headers: { cookie: forged } })).status, 404);
    const other = (await startRun([{ name: 'Dockerfile', content: 'FROM ubuntu\n' }])).headers
      .get('set-cookie')!
      .split(';')[0];
    assert.equal((await fetch(`${base}/api/runs/${runId}/events`, { headers: { cookie: other } })).status, 404);
    assert.equal(
      (await fetch(`${base}/api/runs/${runId}/stop`, { method: 'POST', headers: { cookie: other } })).status,
      404,
    );
  });
});
