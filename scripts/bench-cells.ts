// (l) The two-cell load test of `npm run bench`: two cells (lab servers with LAB_CELL, one on this
// machine's engine, one on a second dockerd) on one PostgreSQL, behind Debian's nginx, and a workshop
// of BENCH_CELL_LEARNERS (80) simulated learners who come in through the balancer, join, save a draft
// and press Run at the same moment; the instructor follows the dashboard on one cell. Then everyone
// presses Run again and one cell is killed with kill -9 a second later: its learners' pages ask again,
// are told their run was not judged, and run again on the other cell. Reported: learners per cell,
// time to result per cell and for the room, the dashboard's update latency across cells, and for the
// kill: how long until each learner of the dead cell had a run accepted and a result, drafts kept,
// runs lost. Both cells share this machine's cores: the figures show what coordination costs, not the
// capacity a second machine adds.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { sendUnlessCut } from '../lib/http/resend-cut';
import { caseFiles, findBuildExercise, loadCurriculum } from '../lib/lessons/curriculum';
import { dockerFromEnv } from '../lib/sandbox/docker-engine';
import { Balancer } from './balancer';
import { percentile } from './bench-browser';
import { resultOf, Visitor } from './cells-fixtures';
import { SECOND_ENGINE, SecondEngine } from './second-engine';
// @ts-expect-error plain JavaScript module of the setup
import { ensureNginx, ensureTestPostgres } from './setup.mjs';
import { followSse, freePort, startLabServer, type LabServer } from './test-harness';

const EXERCISE = 'main-process-exit/pid1';
const CELLS = ['bench-a', 'bench-b'] as const;

/** One learner's Run through the balancer: its status, the time to it, the cell that judged it, when it was pressed and accepted. */
interface RunResult {
  status: string;
  totalMs: number;
  cell: string;
  pressedAt: number;
  acceptedAt: number;
  /** Times the request was sent again after a 502 or a cut, as the page does. */
  resent: number;
}

async function pressRun(learner: Visitor, lab: string, files: unknown, onStarted?: () => void): Promise<RunResult> {
  const t0 = Date.now();
  // As the page: a 502, a 504 or a cut request is sent again, twice at most.
  const { response: started, resent } = await sendUnlessCut(() =>
    learner.fetch(lab, '/api/runs', { method: 'POST', body: JSON.stringify({ exerciseId: EXERCISE, files }) }),
  );
  if (started?.status !== 202)
    return {
      status: started ? `http ${started.status}` : 'request cut',
      totalMs: Date.now() - t0,
      cell: '',
      pressedAt: t0,
      acceptedAt: 0,
      resent,
    };
  const acceptedAt = Date.now();
  const cell = learner.cell ?? '';
  onStarted?.();
  const { runId } = (await started.json()) as { runId: string };
  // A stream cut before its result is asked for again, as the page's EventSource does.
  let end = await resultOf(learner, lab, runId).catch(() => undefined);
  if (!end?.status) end = await resultOf(learner, lab, runId).catch(() => ({ status: 'stream cut', errors: [] }));
  return { status: end.status || 'no result', totalMs: Date.now() - t0, cell, pressedAt: t0, acceptedAt, resent };
}

const p95 = (values: number[]) => percentile(values, 95);
const byCell = <T extends { cell: string }>(rows: T[], cell: string) => rows.filter((row) => row.cell === cell);

export async function benchCells(learners: number) {
  process.env.LAB_TEST_POSTGRES_URL ??= await ensureTestPostgres();
  ensureNginx();
  const files = caseFiles(findBuildExercise(EXERCISE, loadCurriculum())!, 'solution');
  const engineB = new SecondEngine();
  await engineB.start();
  await engineB.copyImages(dockerFromEnv());
  const shared = { DATABASE_URL: process.env.LAB_TEST_POSTGRES_URL!, LAB_SECRET: randomBytes(16).toString('hex') };
  const servers: LabServer[] = [];
  let balancer: Balancer | undefined;
  try {
    servers.push(await startLabServer({ env: { ...shared, LAB_CELL: CELLS[0] } }));
    servers.push(await startLabServer({ env: { ...shared, LAB_CELL: CELLS[1], DOCKER_HOST: SECOND_ENGINE.host } }));
    balancer = await Balancer.start(
      CELLS.map((name, index) => ({ name, address: servers[index].base.replace('http://', '') })),
      await freePort(),
    );
    const lab = balancer.base;

    const instructor = new Visitor();
    await instructor.fetch(lab, '/');
    const created = await instructor.fetch(lab, '/api/workshops', {
      method: 'POST',
      body: JSON.stringify({ title: 'Two-cell load test', exerciseIds: [EXERCISE], capacity: learners }),
    });
    if (created.status !== 201) throw new Error(`creating the workshop failed: ${await created.text()}`);
    const workshop = (await created.json()) as { workshopId: string; joinCode: string; instructorKey: string };
    const latencies: number[] = [];
    const dashboardAbort = new AbortController();
    const dashboard = await instructor.fetch(
      lab,
      `/api/workshops/${workshop.workshopId}/dashboard?key=${workshop.instructorKey}`,
      { signal: dashboardAbort.signal },
    );
    const dashboardDone = followSse(dashboard, (event, data) => {
      const trigger = (data as { trigger?: number }).trigger;
      if (event === 'dashboard' && trigger) latencies.push(Date.now() - trigger);
    }).catch(() => undefined);

    // The room comes in through the balancer and joins; each saves a draft.
    const room = Array.from({ length: learners }, () => new Visitor());
    const joinStarted = Date.now();
    await Promise.all(
      room.map(async (learner, index) => {
        const joined = await learner.fetch(lab, '/api/workshops/join', {
          method: 'POST',
          body: JSON.stringify({ code: workshop.joinCode, displayName: `Learner ${index + 1}` }),
        });
        if (joined.status !== 200) throw new Error(`learner ${index + 1} could not join: ${await joined.text()}`);
      }),
    );
    const joinMs = Date.now() - joinStarted;
    const drafts = room.map((_, index) => [
      { name: 'Dockerfile', content: `# learner ${index + 1}\n${files[0].content}` },
    ]);
    await Promise.all(
      room.map((learner, index) =>
        learner.fetch(lab, `/api/drafts?exerciseId=${EXERCISE}`, {
          method: 'PUT',
          body: JSON.stringify({ files: drafts[index] }),
        }),
      ),
    );
    const placed = Object.fromEntries(CELLS.map((cell) => [cell, room.filter((one) => one.cell === cell).length]));

    // Wave 1: everyone presses Run at once.
    const wave = await Promise.all(room.map((learner) => pressRun(learner, lab, files)));
    await delay(1500);
    const dashboardP95 = p95(latencies);

    // Wave 2: everyone presses Run again; a second after the first run starts on cell B, B is killed.
    const doomed = room.filter((learner) => learner.cell === CELLS[1]);
    let killedAt = 0;
    let killing = false;
    const kill = () => {
      if (killing) return;
      killing = true;
      void delay(1000).then(() => {
        killedAt = Date.now();
        servers[1].child.kill('SIGKILL');
      });
    };
    const second = await Promise.all(
      room.map(async (learner) => {
        const onB = learner.cell === CELLS[1];
        const first = await pressRun(learner, lab, files, onB ? kill : undefined);
        if (!onB || first.status === 'pass') return { first, again: undefined };
        // Told that nothing was judged, the learner runs again: on the cell alive.
        const again = await pressRun(learner, lab, files);
        return { first, again: { ...again, sinceKillMs: Date.now() - killedAt } };
      }),
    );
    const rerun = second.flatMap((row) => (row.again ? [row.again] : []));
    const acceptedAfterKill = rerun.filter((row) => row.acceptedAt).map((row) => row.acceptedAt - killedAt);
    // Where that time goes: until the page is told its run was cut, then from Run pressed again to accepted.
    const cut = second.filter((row) => row.again);
    const toldAfterKill = cut.map((row) => row.first.pressedAt + row.first.totalMs - killedAt);
    const pressToAccept = rerun.filter((row) => row.acceptedAt).map((row) => row.acceptedAt - row.pressedAt);
    const median = (values: number[]) => percentile(values, 50);
    const kept = await Promise.all(
      room.map(async (learner, index) => {
        const draft = (await (await learner.fetch(lab, `/api/drafts?exerciseId=${EXERCISE}`)).json()) as {
          files: unknown;
        };
        return JSON.stringify(draft.files) === JSON.stringify(drafts[index]);
      }),
    );
    dashboardAbort.abort();
    await dashboardDone;

    const totals = wave.map((row) => row.totalMs);
    return {
      learners,
      cells: CELLS.length,
      placed,
      join_all_ms: joinMs,
      runs_correct: wave.filter((row) => row.status === 'pass').length,
      runs_other: wave.filter((row) => row.status !== 'pass').map((row) => row.status),
      time_to_result_ms: {
        room: { p50: percentile(totals, 50), p95: p95(totals) },
        ...Object.fromEntries(
          CELLS.map((cell) => {
            const rows = byCell(wave, cell).map((row) => row.totalMs);
            return [cell, { runs: rows.length, p50: percentile(rows, 50), p95: p95(rows) }];
          }),
        ),
      },
      dashboard_update_latency_ms: { updates: latencies.length, p95: dashboardP95, target_p95: 1000 },
      kill_9_of_one_cell: {
        learners_on_it: doomed.length,
        runs_cut: second.filter((row) => row.again).length,
        cut_runs_told: [...new Set(second.flatMap((row) => (row.again ? [row.first.status] : [])))],
        reruns_passed: rerun.filter((row) => row.status === 'pass').length,
        rerun_cells: [...new Set(rerun.map((row) => row.cell))],
        until_run_accepted_ms: { median: median(acceptedAfterKill), max: Math.max(0, ...acceptedAfterKill) },
        of_which_until_told_ms: { median: median(toldAfterKill), max: Math.max(0, ...toldAfterKill) },
        of_which_press_to_accepted_ms: { median: median(pressToAccept), max: Math.max(0, ...pressToAccept) },
        presses_sent_again: second.reduce((sum, row) => sum + row.first.resent + (row.again?.resent ?? 0), 0),
        until_result_ms: {
          median: percentile(
            rerun.map((row) => row.sinceKillMs),
            50,
          ),
          max: Math.max(0, ...rerun.map((row) => row.sinceKillMs)),
        },
        others_passed: second.filter((row) => !row.again && row.first.status === 'pass').length,
        drafts_kept: kept.filter(Boolean).length,
      },
    };
  } finally {
    await balancer?.stop();
    for (const server of servers)
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    // The killed cell's leftovers on its engine: a cell started again there reaps them at start-up.
    const again = await startLabServer({
      env: { ...shared, LAB_CELL: CELLS[1], DOCKER_HOST: SECOND_ENGINE.host },
    }).catch(() => undefined);
    if (again) {
      again.child.kill('SIGTERM');
      await again.exited;
    }
    await engineB.stop();
  }
}
