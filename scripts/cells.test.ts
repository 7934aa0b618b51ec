// Two cells of one lab behind nginx, as a lab of several machines runs: two lab servers (LAB_CELL set,
// one LAB_SECRET, one PostgreSQL), each with a Docker engine of its own (cell B on a second dockerd),
// and Debian's nginx in front (scripts/nginx-config.ts). Every request goes through the balancer:
// learners are placed and spread over the cells by a cookie; the instructor's dashboard on one cell is
// updated by a learner's activity on the other (not by its 30 s refresh); a message crosses the other
// way; the terminal's WebSocket reaches the learner's cell. Then cell B is killed with kill -9 during a
// run: its learner goes on on cell A at their next request, with their draft; the run says it was not
// judged; A marks it interrupted; and B, started again, reaps what it left on its engine.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { dockerFromEnv } from '../lib/sandbox/docker-engine';
import { waitFor } from '../lib/testing/wait-for';
import type { Dashboard } from '../lib/workshops/dashboard';
import { Balancer } from './balancer';
import { resultOf, startRun, Visitor, type CellsHealth } from './cells-fixtures';
import { SECOND_ENGINE, SecondEngine } from './second-engine';
import { followSse, freePort, startLabServer, type LabServer } from './test-harness';

const EXERCISE = 'main-process-exit/pid1';
const url = process.env.LAB_TEST_POSTGRES_URL;
if (!url) throw new Error('LAB_TEST_POSTGRES_URL is not set: run the tests with npm test, which starts PostgreSQL');

const engineB = new SecondEngine();
let cellA: LabServer | undefined;
let cellB: LabServer | undefined;
let balancer: Balancer | undefined;
const shared = { DATABASE_URL: url, LAB_SECRET: 'cells-test-secret-0123456789abcdef' };
const startCellB = () =>
  startLabServer({ env: { ...shared, LAB_CELL: 'cell-b', DOCKER_HOST: SECOND_ENGINE.host } }).then(
    (cell) => (cellB = cell),
  );
const address = (cell: LabServer) => cell.base.replace('http://', '');

// One after the other: a server that finds the web app's build out of date builds it, and two builds
// in one folder at once would fail (cells on their own machines each have their own).
before(async () => {
  await engineB.start();
  await engineB.copyImages(dockerFromEnv());
  cellA = await startLabServer({ env: { ...shared, LAB_CELL: 'cell-a' } });
  await startCellB();
  balancer = await Balancer.start(
    [
      { name: 'cell-a', address: address(cellA) },
      { name: 'cell-b', address: address(cellB!) },
    ],
    await freePort(),
  );
});

after(async () => {
  await balancer?.stop();
  const started = [cellA, cellB].filter(
    (cell): cell is LabServer => cell !== undefined && cell.child.exitCode === null && cell.child.signalCode === null,
  );
  for (const cell of started) cell.child.kill('SIGTERM');
  const codes = await Promise.all(started.map((cell) => cell.exited));
  await engineB.stop();
  assert.deepEqual(
    codes,
    started.map(() => 0),
  );
});

test(
  'through the balancer: learners spread over the cells, the dashboard follows the room, the terminal reaches its cell',
  { timeout: 240_000 },
  async () => {
    const lab = balancer!.base;
    assert.match(cellA!.output(), /Relaying to the other cells of this lab through PostgreSQL cell=cell-a\//);
    // The first visitor goes to the first of two empty cells, the next to the other one.
    const instructor = new Visitor();
    assert.equal((await instructor.fetch(lab, '/')).status, 200);
    assert.equal(instructor.cell, 'cell-a');
    const created = await instructor.fetch(lab, '/api/workshops', {
      method: 'POST',
      body: JSON.stringify({ title: 'Two cells', exerciseIds: [EXERCISE], capacity: 10 }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const workshop = (await created.json()) as { workshopId: string; joinCode: string; instructorKey: string };

    // The instructor's dashboard (on cell A): every update that an activity caused.
    const dashboardAbort = new AbortController();
    const triggered: Dashboard[] = [];
    const dashboard = await instructor.fetch(
      lab,
      `/api/workshops/${workshop.workshopId}/dashboard?key=${workshop.instructorKey}`,
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

    // The learner's first request changes something (a join): it is sent on to the cell they are placed on.
    const learner = new Visitor();
    const joined = await learner.fetch(lab, '/api/workshops/join', {
      method: 'POST',
      body: JSON.stringify({ code: workshop.joinCode, displayName: 'Ada' }),
    });
    assert.equal(joined.status, 200, await joined.clone().text());
    assert.equal(learner.cell, 'cell-b');
    await triggeredUpdate((view) => view.learners.some((row) => row.displayName === 'Ada'));

    const runId = await startRun(learner, lab, EXERCISE);
    assert.deepEqual(await resultOf(learner, lab, runId), { status: 'pass', errors: [] });
    await triggeredUpdate((view) => view.learners.some((row) => row.cells[EXERCISE]?.state === 'passing'));
    // Cell B ran it, on its own engine: the run's image is there, not on cell A's.
    assert.match(cellB!.output(), new RegExp(`Finished run run=${runId}`));
    assert.doesNotMatch(cellA!.output(), new RegExp(`Starting run run=${runId}`));

    // The learner's workshop page (cell B) hears the instructor's message posted on cell A.
    const feedAbort = new AbortController();
    const feed = await learner.fetch(lab, '/api/workshop/events', { signal: feedAbort.signal });
    assert.equal(feed.status, 200);
    const heard: string[] = [];
    await followSse(feed, (event, data) => {
      if (event === 'workshop') {
        void instructor.fetch(lab, `/api/workshops/${workshop.workshopId}/messages?key=${workshop.instructorKey}`, {
          method: 'POST',
          body: JSON.stringify({ text: 'Everyone: try the crash scenario next' }),
        });
      }
      if (event === 'message') {
        heard.push((data as { text: string }).text);
        return true;
      }
    });
    feedAbort.abort();
    assert.deepEqual(heard, ['Everyone: try the crash scenario next']);
    dashboardAbort.abort();
    await followed;

    // The terminal's WebSocket goes through the balancer to the learner's cell, and its shell answers.
    assert.equal(await shellAnswer(lab, learner, 'echo $((6 * 7))'), '42');

    // Six more learners arrive: three on each cell.
    const arrivals = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const visitor = new Visitor();
        await visitor.fetch(lab, '/');
        return visitor.cell;
      }),
    );
    assert.deepEqual(arrivals.sort(), ['cell-a', 'cell-a', 'cell-a', 'cell-b', 'cell-b', 'cell-b']);
  },
);

/** Types `command` into the learner's terminal through the balancer; resolves with its output's last line. */
async function shellAnswer(lab: string, visitor: Visitor, command: string): Promise<string> {
  const cookie = visitor.cookieHeader();
  const params = new URLSearchParams({ exerciseId: EXERCISE, cols: '100', rows: '30' });
  const ws = new WebSocket(`${lab.replace('http', 'ws')}/api/terminal?${params}`, { headers: { cookie } });
  let output = '';
  let offset = 0;
  try {
    return await new Promise<string>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('close', (code) => reject(new Error(`the terminal closed (${code}): ${output}`)));
      ws.on('message', (data: Buffer, isBinary) => {
        if (!isBinary) {
          const message = JSON.parse(data.toString()) as { type: string; offset?: number };
          if (message.type !== 'ready') return;
          offset = message.offset!;
          ws.send(Buffer.from(`${command}\n`), { binary: true });
          return;
        }
        output += data.toString('latin1');
        offset += data.length;
        ws.send(JSON.stringify({ type: 'ack', offset }));
        const answer = /^(\d+)\r?$/m.exec(output);
        if (answer) resolve(answer[1]);
      });
    });
  } finally {
    ws.close();
  }
}

test(
  'a cell killed with kill -9 mid-run: its learner goes on on the other, nothing lost, and it reaps its leftovers',
  { timeout: 240_000 },
  async () => {
    const lab = balancer!.base;
    const health = async (cell: LabServer) => (await (await fetch(`${cell.base}/api/health`)).json()) as CellsHealth;
    assert.deepEqual(
      (await health(cellA!)).cells.map((cell) => [cell.name, cell.me, cell.slots > 0]),
      [
        ['cell-a', true, true],
        ['cell-b', false, true],
      ],
    );

    // A learner on cell B, with a draft and a run in flight.
    let learner = new Visitor();
    while (learner.cell !== 'cell-b') {
      learner = new Visitor();
      await learner.fetch(lab, '/');
    }
    const foreground = 'main-process-exit/foreground';
    const draft = [{ name: 'Dockerfile', content: 'FROM lab/node\n# my notes before the crash\n' }];
    const saved = await learner.fetch(lab, `/api/drafts?exerciseId=${foreground}`, {
      method: 'PUT',
      body: JSON.stringify({ files: draft }),
    });
    assert.equal(saved.status, 200, await saved.clone().text());
    const runId = await startRun(learner, lab, foreground);
    await followSse(
      await learner.fetch(lab, `/api/runs/${runId}/events`),
      (event, data) => event === 'timeline' && (data as { type: string }).type === 'container-start',
    ).catch(() => undefined);
    cellB!.child.kill('SIGKILL');
    assert.equal(await cellB!.exited, null);

    // The learner's page asks for the run's events again: cell A answers that it was not judged.
    const end = await resultOf(learner, lab, runId);
    assert.equal(end.status, 'error');
    assert.deepEqual(end.errors, [
      'The lab server that ran this run stopped or cannot be reached, so nothing was judged. Run again.',
    ]);
    assert.equal(learner.cell, 'cell-a', 'placed on the cell alive');
    const loaded = (await (await learner.fetch(lab, `/api/drafts?exerciseId=${foreground}`)).json()) as {
      files: unknown;
    };
    assert.deepEqual(loaded.files, draft);
    // They can run again at once, on cell A.
    assert.equal((await resultOf(learner, lab, await startRun(learner, lab, EXERCISE))).status, 'pass');

    // Cell A notices the silence (20 s), marks the run interrupted, and lists itself alone.
    const attempt = async () =>
      (
        (await (await learner.fetch(lab, `/api/runs?exerciseId=${foreground}`)).json()) as {
          attempts: { runId: string; status: string }[];
        }
      ).attempts.find((one) => one.runId === runId)?.status;
    await waitFor(async () => (await attempt()) === 'interrupted', {
      timeoutMs: 60_000,
      what: "cell B's run marked interrupted by cell A",
    });
    assert.deepEqual(
      (await health(cellA!)).cells.map((cell) => cell.name),
      ['cell-a'],
    );

    // Cell B comes back on its engine and removes what its killed predecessor left there.
    assert.ok((await engineB.docker.listContainers({ all: true, filters: { label: [`lab.run=${runId}`] } })).length);
    await startCellB();
    await waitFor(
      async () =>
        (await engineB.docker.listContainers({ all: true, filters: { label: [`lab.run=${runId}`] } })).length === 0,
      { timeoutMs: 30_000, what: "the killed cell's container removed by its successor" },
    );
  },
);
