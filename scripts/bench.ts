// `npm run bench`: the engine's speed, measured against the docker CLI and the bare engine on the same
// machine in the same run, printed as one JSON object. Not a test: these machines are shared and noisy,
// so the figures are ratios and percentiles, and nothing here fails on a threshold.
//   (a) Run -> first process tree drawn, with a cached image, vs `docker build -q; docker run -d; docker top`:
//       see bench-first-tree.ts
//   (b) process exit -> exit event in the timeline (median, p95), and Docker's die event alone
//   (c) sampler CPU per snapshot and per running container at 10 Hz
//   (d) 20 runs started at once: all correct, p95 total time, leftovers
//   (e), (f) in the browser: see bench-browser.ts
//   (g), (h) the terminal: workstation ready time, the Docker API proxy against the bare engine: see bench-terminal.ts
//   (i) a workshop of BENCH_LEARNERS (40) learners pressing Run at once: see bench-workshop.ts
//   (j) CPU-seconds per run of each build exercise's solution, against a docker CLI script of the same
//       scenarios, with where the CPU goes: see bench-cost.ts
//   (k) in the browser: navigation to an exercise -> the editor accepts a keystroke: see bench-browser.ts
//   (l) two cells behind nginx, BENCH_CELL_LEARNERS (80) learners, and a kill -9 of one cell: see bench-cells.ts
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import os from 'node:os';
import { caseFiles, findBuildExercise, loadCurriculum } from '../lib/lessons/curriculum';
import { benchBrowser, benchEditorReady, percentile } from './bench-browser';
import { benchCells } from './bench-cells';
import { engine, OWNER } from './bench-engine';
import { benchRunCost } from './bench-cost';
import { benchFirstTree } from './bench-first-tree';
import { benchTerminal } from './bench-terminal';
import { benchWorkshop } from './bench-workshop';
import { configureLog } from '../lib/log';
import { ProcSampler, cgroupProcsFile } from '../lib/observe/proc-sampler';
import { Timeline } from '../lib/observe/timeline';
import { dockerfileRunning, inlineExercise } from '../lib/runner/inline-exercise';
import { newRunId, runExercise } from '../lib/runner/run-exercise';
import { runLimitsFor } from '../lib/sandbox/limits';
import { labelledResources, reap } from '../lib/sandbox/reaper';

const median = (values: number[]) => percentile(values, 50);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** (b) The container prints the time and exits; the exit event's arrival in the timeline is compared with it. */
async function benchExitLatency(count: number) {
  const scenarios = Array.from({ length: count }, (_, i) => ({
    id: `exit-${i + 1}`,
    description: 'exit',
    actions: [{ do: 'wait-for-exit', timeoutMs: 10000 }],
  }));
  const exercise = inlineExercise(
    {
      scenarios,
      checks: [{ id: 'c', title: 'c', scenario: 'exit-1', hint: 'h', assert: { type: 'exit-code', codes: [3] } }],
    },
    [dockerfileRunning(['sh', '-c', 'sleep 0.3; date +%s%N; exit 3'])],
    'bench/exit',
  );
  const timeline = new Timeline();
  // The first exit event of PID 1 (a sample without it, or Docker's die event, whichever comes first),
  // and Docker's die event alone.
  const firstExit = new Map<string, number>();
  const dies = new Map<string, number>();
  timeline.subscribe((event) => {
    if (!event.scenario) return;
    const exit = event.type === 'container-die' || (event.type === 'process-exit' && event.process.pid === 1);
    if (exit && !firstExit.has(event.scenario)) firstExit.set(event.scenario, Date.now());
    if (event.type === 'container-die') dies.set(event.scenario, Date.now());
  });
  await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER, timeline });
  const latencies: number[] = [];
  const dieLatencies: number[] = [];
  for (const event of timeline.events()) {
    if (event.type !== 'output' || !event.scenario || !/^\d{19}$/.test(event.text)) continue;
    const exitedAt = Number(BigInt(event.text) / 1_000_000n);
    const arrived = firstExit.get(event.scenario);
    if (arrived) latencies.push(arrived - exitedAt);
    const died = dies.get(event.scenario);
    if (died) dieLatencies.push(died - exitedAt);
  }
  return {
    exits: latencies.length,
    median_ms: median(latencies),
    p95_ms: percentile(latencies, 95),
    target_p95_ms: 50,
    docker_die_event_ms: { median: median(dieLatencies), p95: percentile(dieLatencies, 95) },
  };
}

/** (c) CPU time of /proc sampling, per snapshot and per container sampled at 10 Hz. */
async function benchSampler(containers: number, seconds: number) {
  const ids: string[] = [];
  try {
    for (let i = 0; i < containers; i++) {
      const id = await engine.create({
        labels: { runId: newRunId(), owner: OWNER, expiresAt: Date.now() + 300_000 },
        image: 'lab/node',
        command: ['sh', '-c', 'sleep 600 & sleep 600 & sleep 600 & node -e "setInterval(() => {}, 1000)"'],
        settings: { env: {}, restart: { policy: 'no' }, init: false },
        limits: runLimitsFor(),
      });
      await engine.start(id);
      ids.push(id);
    }
    await delay(1000);
    const samplers = await Promise.all(
      ids.map(async (id) => new ProcSampler(cgroupProcsFile((await engine.inspect(id)).pid)!)),
    );
    let snapshots = 0;
    let processes = 0;
    const cpuBefore = process.cpuUsage();
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      for (const sampler of samplers) {
        processes += sampler.sampleSync().length;
        snapshots++;
      }
      await delay(100);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const perSnapshotMs = cpuMs / snapshots;
    return {
      containers,
      processes_per_snapshot: round(processes / snapshots, 1),
      cpu_ms_per_snapshot: round(perSnapshotMs, 3),
      core_percent_per_container_at_10hz: round((perSnapshotMs * 10) / 10, 2),
      target_core_percent: 2,
    };
  } finally {
    await Promise.all(ids.map((id) => engine.removeContainer(id)));
  }
}

/** (d) Many runs at once, all of one exercise's solution. */
async function benchConcurrent(count: number) {
  const exercise = findBuildExercise('main-process-exit/pid1', loadCurriculum())!;
  const files = caseFiles(exercise, 'solution');
  const started = Date.now();
  const outcomes = await Promise.all(
    Array.from({ length: count }, async () => {
      const t0 = Date.now();
      const outcome = await runExercise({ engine, exercise, files, owner: OWNER });
      return { status: outcome.status, ms: Date.now() - t0 };
    }),
  );
  const wall = Date.now() - started;
  await reap(engine.docker, 'mine');
  const left = await labelledResources(engine.docker, OWNER);
  const times = outcomes.map((outcome) => outcome.ms);
  return {
    runs: count,
    passed: outcomes.filter((outcome) => outcome.status === 'pass').length,
    total_ms: { median: median(times), p95: percentile(times, 95), wall },
    single_run_ms: undefined as number | undefined,
    leftovers: left.containers.length + left.images.length,
  };
}

/** The machine the figures were measured on. */
async function machine() {
  return {
    cpus: os.cpus().length,
    memory_gib: round(os.totalmem() / 2 ** 30, 0),
    engine: (await engine.docker.version()).Version,
    measured_at: new Date().toISOString().slice(0, 10),
  };
}

/** With BENCH_WRITE=1, figures the sizing reads are kept in docs/bench/ (`npm run sizing`). */
function writeJson(name: string, value: unknown) {
  const file = path.join(process.cwd(), 'docs', 'bench', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A load test's p95 beside the others kept (one per number of learners and cores). */
function writeLoad(load: Awaited<ReturnType<typeof benchWorkshop>>) {
  const file = path.join(process.cwd(), 'docs', 'bench', 'workshop-load.json');
  const kept = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { runs: { learners: number; cores: number }[] }).runs
    : [];
  const run = {
    learners: load.learners,
    exercise: 'main-process-exit/pid1',
    cores: os.cpus().length,
    p95_s: round(load.time_to_result_ms.p95 / 1000),
    room_s: round(load.time_to_result_ms.wall / 1000),
    measured_at: new Date().toISOString().slice(0, 10),
  };
  writeJson('workshop-load.json', {
    runs: [...kept.filter((other) => other.learners !== run.learners || other.cores !== run.cores), run].sort(
      (a, b) => a.learners - b.learners,
    ),
  });
}

async function main() {
  configureLog({ stream: process.stderr, level: 'warn' });
  const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
  const started = Date.now();
  const only = process.env.BENCH_ONLY;
  if (only === 'browser') {
    console.log(JSON.stringify(await benchBrowser(Number(process.env.BENCH_BROWSER_ROUNDS ?? 5)), null, 2));
    return;
  }
  if (only === 'workshop') {
    const load = await benchWorkshop(Number(process.env.BENCH_LEARNERS ?? 40));
    if (process.env.BENCH_WRITE) writeLoad(load);
    console.log(JSON.stringify({ i_workshop_load: load }, null, 2));
    return;
  }
  if (only === 'cells' || only === 'l') {
    const cells = await benchCells(Number(process.env.BENCH_CELL_LEARNERS ?? 80));
    console.log(JSON.stringify({ l_two_cells: cells }, null, 2));
    return;
  }
  if (only === 'terminal') {
    console.log(JSON.stringify(await benchTerminal(rounds), null, 2));
    return;
  }
  if (only === 'editor' || only === 'k') {
    console.log(JSON.stringify({ k_navigation_to_editable_editor: await benchEditorReady(rounds) }, null, 2));
    return;
  }
  if (only === 'b') {
    console.log(
      JSON.stringify(
        { b_exit_to_timeline_event: await benchExitLatency(Number(process.env.BENCH_EXITS ?? 20)) },
        null,
        2,
      ),
    );
    return;
  }
  if (only === 'j') {
    const runs = Number(process.env.BENCH_COST_RUNS ?? 3);
    const cost = await benchRunCost(runs, process.env.BENCH_COST_EXERCISE);
    if (process.env.BENCH_WRITE) writeJson('run-cost.json', { machine: await machine(), ...cost });
    console.log(JSON.stringify({ j_run_cost: cost }, null, 2));
    return;
  }
  if (only === 'a') {
    console.log(JSON.stringify({ a_run_to_first_process_tree: await benchFirstTree(rounds) }, null, 2));
    return;
  }
  const firstTree = await benchFirstTree(rounds);
  const exitLatency = await benchExitLatency(Number(process.env.BENCH_EXITS ?? 20));
  const sampler = await benchSampler(5, 5);
  const exercise = findBuildExercise('main-process-exit/pid1', loadCurriculum())!;
  const single = await runExercise({ engine, exercise, files: caseFiles(exercise, 'solution'), owner: OWNER });
  const concurrent = await benchConcurrent(Number(process.env.BENCH_CONCURRENT ?? 20));
  concurrent.single_run_ms = single.durationMs;
  const inBrowser = await benchBrowser(Number(process.env.BENCH_BROWSER_ROUNDS ?? 5));
  const terminal = await benchTerminal(Math.max(rounds, 10));
  const workshop = await benchWorkshop(Number(process.env.BENCH_LEARNERS ?? 40));
  const editorReady = await benchEditorReady(rounds);
  const runCost = await benchRunCost(Number(process.env.BENCH_COST_RUNS ?? 3));
  const cells = await benchCells(Number(process.env.BENCH_CELL_LEARNERS ?? 80));
  const result = {
    machine: await machine(),
    a_run_to_first_process_tree: firstTree,
    b_exit_to_timeline_event: exitLatency,
    c_sampler_cpu: sampler,
    d_concurrent_runs: concurrent,
    ...inBrowser,
    ...terminal,
    i_workshop_load: workshop,
    j_run_cost: runCost,
    k_navigation_to_editable_editor: editorReady,
    l_two_cells: cells,
    duration_s: round((Date.now() - started) / 1000, 0),
  };
  console.log(JSON.stringify(result, null, 2));
}

await main();
