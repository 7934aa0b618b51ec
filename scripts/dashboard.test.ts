// The instructor's class dashboard against the real server and engine: only the workshop's key opens
// it; it lists the members and follows them live as their runs fail and pass, with the failure classes
// of the exercise; a click-through gives a member's latest attempt with its files, checks and timeline.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { caseFiles, findBuildExercise, loadCurriculum } from '../lib/lessons/curriculum';
import type { Dashboard } from '../lib/workshops/dashboard';
import { waitFor } from '../lib/testing/wait-for';
import { followSse, startLabServer, type LabServer } from './test-harness';

const EXERCISE = 'main-process-exit/pid1';
let server: LabServer;

/** A client with its own cookie jar, like a browser of its own. */
function client() {
  let cookie = '';
  return async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', cookie, ...(init.headers ?? {}) },
    });
    const set = response.headers.getSetCookie().map((line) => line.split(';')[0]);
    if (set.length) cookie = set.join('; ');
    return response;
  };
}

async function createWorkshop(title: string) {
  const response = await client()('/api/workshops', {
    method: 'POST',
    body: JSON.stringify({ title, exerciseIds: [EXERCISE], capacity: 10 }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const created = (await response.json()) as { workshopId: string; joinCode: string; instructorUrl: string };
  return { ...created, key: new URL(created.instructorUrl, server.base).searchParams.get('key')! };
}

// The same on both databases the lab supports: the embedded SQLite file, and PostgreSQL (which
// npm test installs and starts) as a workshop would run it.
const databases: [string, Record<string, string>][] = [['SQLite', {}]];
if (process.env.LAB_TEST_POSTGRES_URL)
  databases.push(['PostgreSQL', { DATABASE_URL: process.env.LAB_TEST_POSTGRES_URL }]);

for (const [database, env] of databases)
  describe(`the class dashboard on ${database}`, { timeout: 240_000 }, () => {
    before(async () => {
      server = await startLabServer({ env: { LAB_SKIP_DOCKER_SETUP: '', ...env } });
    });

    after(async () => {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    });

    test("opens only with the workshop's own instructor key", async () => {
      const mine = await createWorkshop('Mine');
      const theirs = await createWorkshop('Theirs');
      const learner = client();
      assert.equal(
        (
          await learner('/api/workshops/join', {
            method: 'POST',
            body: JSON.stringify({ code: mine.joinCode, displayName: 'Ada' }),
          })
        ).status,
        200,
      );
      const url = `/api/workshops/${mine.workshopId}/dashboard`;
      assert.equal((await learner(url)).status, 401, 'a member without the key');
      assert.equal((await learner(`${url}?key=${'x'.repeat(43)}`)).status, 403, 'a wrong key');
      assert.equal((await learner(`${url}?key=${theirs.key}`)).status, 403, "another workshop's key");
      const latest = `/api/workshops/${mine.workshopId}/members/nobody/latest?exercise=${EXERCISE}`;
      assert.equal((await learner(latest)).status, 401);
      assert.equal((await learner(`${latest}&key=${theirs.key}`)).status, 403);
      assert.equal((await learner(`${latest}&key=${mine.key}`)).status, 404, 'not a member');
    });

    test('follows the room live: members, failing and passing runs, failure classes, the latest attempt', async () => {
      const workshop = await createWorkshop('Live');
      const exercise = findBuildExercise(EXERCISE, loadCurriculum())!;
      const [ada, bo] = [client(), client()];
      for (const [learner, name] of [
        [ada, 'Ada'],
        [bo, 'Bo'],
      ] as const) {
        assert.equal(
          (
            await learner('/api/workshops/join', {
              method: 'POST',
              body: JSON.stringify({ code: workshop.joinCode, displayName: name }),
            })
          ).status,
          200,
        );
      }
      const views: { dashboard: Dashboard; receivedAt: number; trigger?: number }[] = [];
      const stop = new AbortController();
      const stream = await fetch(`${server.base}/api/workshops/${workshop.workshopId}/dashboard?key=${workshop.key}`, {
        signal: stop.signal,
      });
      assert.equal(stream.status, 200);
      const following = followSse(stream, (event, data) => {
        if (event === 'dashboard')
          views.push({ ...(data as { dashboard: Dashboard; trigger?: number }), receivedAt: Date.now() });
      }).catch(() => undefined);
      const shown = (predicate: (dashboard: Dashboard) => boolean, what: string) =>
        waitFor(() => views.find((view) => predicate(view.dashboard)), {
          timeoutMs: 60_000,
          what: `the dashboard to show ${what}`,
          intervalMs: 100,
        });
      const cell = (dashboard: Dashboard, name: string) =>
        dashboard.learners.find((row) => row.displayName === name)?.cells[EXERCISE];
      await shown((d) => d.learners.length === 2 && cell(d, 'Ada')?.state === 'not-started', 'both members');

      const run = async (learner: ReturnType<typeof client>, files: { name: string; content: string }[]) => {
        const response = await learner('/api/runs', {
          method: 'POST',
          body: JSON.stringify({ exerciseId: EXERCISE, files }),
        });
        assert.equal(response.status, 202, await response.clone().text());
        const { runId } = (await response.json()) as { runId: string };
        let status = '';
        await followSse(await learner(`/api/runs/${runId}/events`), (event, data) => {
          if (event === 'result') {
            status = (data as { status: string }).status;
            return true;
          }
        });
        return status;
      };
      assert.equal(await run(ada, exercise.starter), 'fail');
      const failing = await shown((d) => cell(d, 'Ada')?.state === 'failing', 'Ada failing');
      assert.ok(failing.trigger, 'an update says which activity caused it');
      const failed = cell(failing.dashboard, 'Ada')!.failedChecks;
      assert.ok(failed.length > 0);
      assert.ok(
        failing.dashboard.failureClasses[EXERCISE].some(
          (entry) => failed.includes(entry.checkId) && entry.learners === 1 && entry.current === 1,
        ),
      );

      assert.equal(await run(bo, caseFiles(exercise, 'solution')), 'pass');
      const passing = await shown((d) => cell(d, 'Bo')?.state === 'passing', 'Bo passing');
      assert.equal(passing.dashboard.exercises[0].passing, 1);
      assert.equal(passing.dashboard.exercises[0].failing, 1);
      stop.abort();
      await following;

      const adaId = passing.dashboard.learners.find((row) => row.displayName === 'Ada')!.learnerId;
      const latest = await fetch(
        `${server.base}/api/workshops/${workshop.workshopId}/members/${adaId}/latest?exercise=${EXERCISE}`,
        { headers: { 'x-instructor-key': workshop.key } },
      );
      assert.equal(latest.status, 200);
      const body = (await latest.json()) as {
        displayName: string;
        attempt: {
          status: string;
          files: { name: string }[];
          checks: { id: string }[];
          summary: { timeline?: { type: string }[] };
        };
      };
      assert.equal(body.displayName, 'Ada');
      assert.equal(body.attempt.status, 'fail');
      assert.ok(body.attempt.files.some((file) => file.name === 'Dockerfile'));
      assert.ok(body.attempt.checks.some((check) => failed.includes(check.id)));
      assert.ok(
        body.attempt.summary.timeline?.some((event) => event.type === 'snapshot'),
        'the timeline, with process trees, is kept with the attempt',
      );
    });
  });
