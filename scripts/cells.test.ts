// Two cells of one lab on one PostgreSQL database (two lab servers, LAB_CELL set, the same LAB_SECRET):
// the instructor follows the room on one cell while a learner joins and runs on the other, and the
// dashboard is updated by the learner's activity itself (an update that names its trigger), not by its
// 30 s refresh; the instructor's message on the first cell reaches the learner's page on the second; a
// learner's cookie holds on either cell. Each cell stops cleanly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { caseFiles, findBuildExercise, loadCurriculum } from '../lib/lessons/curriculum';
import type { Dashboard } from '../lib/workshops/dashboard';
import { dockerFromEnv } from '../lib/sandbox/docker-engine';
import { waitFor } from '../lib/testing/wait-for';
import { followSse, startLabServer, type LabServer } from './test-harness';

const EXERCISE = 'main-process-exit/pid1';
const url = process.env.LAB_TEST_POSTGRES_URL;
if (!url) throw new Error('LAB_TEST_POSTGRES_URL is not set: run the tests with npm test, which starts PostgreSQL');

let cellA: LabServer | undefined;
let cellB: LabServer | undefined;
const shared = { DATABASE_URL: url, LAB_SECRET: 'cells-test-secret-0123456789abcdef' };

// One after the other: a server that finds the web app's build out of date builds it, and two builds
// in one folder at once would fail (cells on their own machines each have their own).
before(async () => {
  // Cell A reaps every 2 s: what the killed cell B leaves on the engine it shares is A's to remove.
  cellA = await startLabServer({ env: { ...shared, LAB_CELL: 'cell-a', LAB_REAP_INTERVAL_MS: '2000' } });
  cellB = await startLabServer({ env: { ...shared, LAB_CELL: 'cell-b' } });
});

after(async () => {
  // Cell B is killed by the second test; whatever still runs is stopped as an operator would.
  const started = [cellA, cellB].filter(
    (cell): cell is LabServer => cell !== undefined && cell.child.exitCode === null && cell.child.signalCode === null,
  );
  for (const cell of started) cell.child.kill('SIGTERM');
  assert.deepEqual(
    await Promise.all(started.map((cell) => cell.exited)),
    started.map(() => 0),
  );
});

/** A browser of its own: its cookie, on whichever cell it is sent to. */
function browser() {
  let cookie = '';
  return async (cell: LabServer, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${cell.base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', origin: cell.base, cookie, ...(init.headers ?? {}) },
    });
    const set = response.headers.getSetCookie().map((line) => line.split(';')[0]);
    if (set.length) cookie = set.join('; ');
    return response;
  };
}

test(
  'the dashboard on one cell follows a learner on the other, and a message crosses the other way',
  { timeout: 180_000 },
  async () => {
    const [a, b] = [cellA!, cellB!];
    assert.match(a.output(), /Relaying to the other cells of this lab through PostgreSQL cell=cell-a\//);
    const instructor = browser();
    const created = await instructor(a, '/api/workshops', {
      method: 'POST',
      body: JSON.stringify({ title: 'Two cells', exerciseIds: [EXERCISE], capacity: 10 }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const workshop = (await created.json()) as { workshopId: string; joinCode: string; instructorKey: string };

    // The instructor's dashboard on cell A: every update that an activity caused.
    const dashboardAbort = new AbortController();
    const triggered: Dashboard[] = [];
    const dashboard = await fetch(
      `${a.base}/api/workshops/${workshop.workshopId}/dashboard?key=${workshop.instructorKey}`,
      { signal: dashboardAbort.signal },
    );
    let waiting: { accept: (view: Dashboard) => boolean; resolve: () => void } | undefined;
    const followed = followSse(dashboard, (event, data) => {
      const update = data as { trigger?: number; dashboard: Dashboard };
      if (event !== 'dashboard' || !update.trigger) return;
      triggered.push(update.dashboard);
      if (waiting?.accept(update.dashboard)) waiting.resolve();
    }).catch(() => undefined);
    const triggeredUpdate = (accept: (view: Dashboard) => boolean) =>
      triggered.some(accept) ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { accept, resolve }));

    // The learner is on cell B.
    const learner = browser();
    const joined = await learner(b, '/api/workshops/join', {
      method: 'POST',
      body: JSON.stringify({ code: workshop.joinCode, displayName: 'Ada' }),
    });
    assert.equal(joined.status, 200, await joined.clone().text());
    await triggeredUpdate((view) => view.learners.some((row) => row.displayName === 'Ada'));

    const runId = await startRun(learner, b, EXERCISE);
    assert.equal(await resultOf(learner, b, runId), 'pass');
    await triggeredUpdate((view) => view.learners.some((row) => row.cells[EXERCISE]?.state === 'passing'));

    // The learner's workshop page on cell B hears the instructor's message posted on cell A.
    const feedAbort = new AbortController();
    const feed = await learner(b, '/api/workshop/events', { signal: feedAbort.signal });
    assert.equal(feed.status, 200);
    const heard: string[] = [];
    const feedDone = followSse(feed, (event, data) => {
      if (event === 'workshop') {
        void instructor(a, `/api/workshops/${workshop.workshopId}/messages?key=${workshop.instructorKey}`, {
          method: 'POST',
          body: JSON.stringify({ text: 'Everyone: try the crash scenario next' }),
        });
      }
      if (event === 'message') {
        heard.push((data as { text: string }).text);
        return true;
      }
    });
    await feedDone;
    feedAbort.abort();
    assert.deepEqual(heard, ['Everyone: try the crash scenario next']);

    // The learner's cookie holds on cell A too: the same learner, the same attempt.
    const history = (await (await learner(a, `/api/runs?exerciseId=${EXERCISE}`)).json()) as {
      attempts: { runId: string; status: string }[];
    };
    assert.deepEqual(
      history.attempts.map((attempt) => [attempt.runId, attempt.status]),
      [[runId, 'pass']],
    );
    dashboardAbort.abort();
    await followed;
  },
);

type Browser = ReturnType<typeof browser>;

/** Presses Run on the solution of `exerciseId`; resolves with the run's id. */
async function startRun(learner: Browser, cell: LabServer, exerciseId: string): Promise<string> {
  const exercise = findBuildExercise(exerciseId, loadCurriculum())!;
  const started = await learner(cell, '/api/runs', {
    method: 'POST',
    body: JSON.stringify({ exerciseId, files: caseFiles(exercise, 'solution') }),
  });
  assert.equal(started.status, 202);
  return ((await started.json()) as { runId: string }).runId;
}

/** Follows the run's events to its result; resolves with its status. */
async function resultOf(learner: Browser, cell: LabServer, runId: string): Promise<string> {
  let status = '';
  await followSse(await learner(cell, `/api/runs/${runId}/events`), (event, data) => {
    if (event !== 'result') return;
    status = (data as { status: string }).status;
    return true;
  });
  return status;
}

interface Health {
  cells: { name: string; me: boolean; slots: number }[];
}

test(
  'a cell killed with kill -9 mid-run: the others mark its run interrupted, and the learner goes on elsewhere',
  { timeout: 180_000 },
  async () => {
    const [a, b] = [cellA!, cellB!];
    const health = async (cell: LabServer) => (await (await fetch(`${cell.base}/api/health`)).json()) as Health;
    assert.deepEqual(
      (await health(a)).cells.map((cell) => [cell.name, cell.me, cell.slots > 0]),
      [
        ['cell-a', true, true],
        ['cell-b', false, true],
      ],
    );

    const learner = browser();
    const foreground = 'main-process-exit/foreground';
    const runId = await startRun(learner, b, foreground);
    const events = await learner(b, `/api/runs/${runId}/events`);
    await followSse(
      events,
      (event, data) => event === 'timeline' && (data as { type: string }).type === 'container-start',
    ).catch(() => undefined);
    b.child.kill('SIGKILL');
    assert.equal(await b.exited, null);

    // Cell A notices the silence (20 s), marks the run interrupted, and lists itself alone.
    const attemptOnA = async () =>
      (
        (await (await learner(a, `/api/runs?exerciseId=${foreground}`)).json()) as {
          attempts: { runId: string; status: string }[];
        }
      ).attempts.find((attempt) => attempt.runId === runId)?.status;
    assert.equal(await attemptOnA(), 'running');
    await waitFor(async () => (await attemptOnA()) === 'interrupted', {
      timeoutMs: 60_000,
      what: "cell B's run marked interrupted by cell A",
    });
    assert.deepEqual(
      (await health(a)).cells.map((cell) => cell.name),
      ['cell-a'],
    );
    // What B left on the engine (its lab process is gone) is removed by A's reaper.
    const docker = dockerFromEnv();
    await waitFor(
      async () => (await docker.listContainers({ all: true, filters: { label: [`lab.run=${runId}`] } })).length === 0,
      {
        timeoutMs: 30_000,
        what: "the killed cell's container removed",
      },
    );

    // The learner goes on on cell A.
    assert.equal(await resultOf(learner, a, await startRun(learner, a, EXERCISE)), 'pass');
  },
);
