// (i) The workshop load test of `npm run bench`: a real lab server, an instructor who creates a workshop
// and follows its dashboard, and N simulated learners (default 40, BENCH_LEARNERS) who join over HTTP,
// open their terminal over the WebSocket, and press Run on the same exercise at the same moment.
// Reported: how many runs completed correctly (all must), time to result, the queue's fairness, the
// dashboard's update latency under that load, the server's memory, and containers left afterwards.
import { setTimeout as delay } from 'node:timers/promises';
import fs from 'node:fs';
import WebSocket from 'ws';
import { caseFiles, findBuildExercise, loadCurriculum } from '../lib/lessons/curriculum';
import { dockerFromEnv } from '../lib/sandbox/docker-engine';
import { OWNER_LABEL } from '../lib/sandbox/labels';
import { percentile } from './bench-browser';
import { idleRate, labSeconds, measure, processSeconds, type Cost } from './cpu-meter';
import { followSse, startLabServer, type LabServer } from './test-harness';

const EXERCISE = 'main-process-exit/pid1';
const round = (value: number, digits = 0) => Number(value.toFixed(digits));

/** A learner's HTTP client: its own cookie, like its own browser. */
class Client {
  private cookie = '';
  constructor(private readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, {
      ...init,
      headers: { ...(init.headers ?? {}), cookie: this.cookie, 'content-type': 'application/json', origin: this.base },
    });
    const set = response.headers.getSetCookie().map((line) => line.split(';')[0]);
    if (set.length) this.cookie = set.join('; ');
    return response;
  }

  get cookieHeader(): string {
    return this.cookie;
  }
}

/** The server's resident memory; 0 once it has gone (its exit is reported with its log). */
function rssMiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Opens the learner's terminal, runs a command and waits for its answer; resolves with the ms it took. */
function terminalRoundTrip(server: LabServer, client: Client): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${server.base.replace('http', 'ws')}/api/terminal?cols=80&rows=24`, {
      headers: { cookie: client.cookieHeader, origin: server.base },
    });
    let seen = '';
    let offset = 0;
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('the terminal did not answer within 60 s'));
    }, 60_000);
    socket.on('message', (data, binary) => {
      if (!binary) {
        const message = JSON.parse(String(data)) as { type: string; offset?: number };
        if (message.type === 'ready') {
          offset = message.offset ?? 0;
          socket.send(Buffer.from('echo load-$((20+22))\n'));
        }
        return;
      }
      const bytes = data as Buffer;
      offset += bytes.length;
      seen += bytes.toString('utf8');
      socket.send(JSON.stringify({ type: 'ack', offset }));
      if (seen.includes('load-42')) {
        clearTimeout(timer);
        socket.close();
        resolve(Date.now() - started);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** One learner's Run: its result, the time to it, and how long the run waited for a slot. */
async function pressRun(client: Client, files: unknown) {
  const t0 = Date.now();
  const response = await client.fetch('/api/runs', {
    method: 'POST',
    body: JSON.stringify({ exerciseId: EXERCISE, files }),
  });
  if (response.status !== 202) return { status: `http ${response.status}`, totalMs: Date.now() - t0, waitMs: 0 };
  const { runId } = (await response.json()) as { runId: string };
  let status = 'no result';
  let waitMs = 0;
  const events = await client.fetch(`/api/runs/${runId}/events`);
  await followSse(events, (event, data) => {
    if (event === 'timeline' && (data as { type: string }).type === 'build-start' && !waitMs) waitMs = Date.now() - t0;
    if (event === 'result') {
      status = (data as { status: string }).status;
      return true;
    }
  });
  return { status, totalMs: Date.now() - t0, waitMs };
}

let stopping = false;

export async function benchWorkshop(learners: number) {
  const exercise = findBuildExercise(EXERCISE, loadCurriculum())!;
  const files = caseFiles(exercise, 'solution');
  const server = await startLabServer({ env: { LAB_LOG: 'warn' } });
  const memory: number[] = [];
  const sampler = setInterval(() => memory.push(rssMiB(server.child.pid!)), 250);
  // A server that dies under the load says why: its exit and the end of its log.
  void server.exited.then((code) => {
    if (!stopping)
      console.error(`the lab server exited with ${code} during the load test:\n${server.output().slice(-4000)}`);
  });
  try {
    const instructor = new Client(server.base);
    const created = await instructor.fetch('/api/workshops', {
      method: 'POST',
      body: JSON.stringify({ title: 'Load test', exerciseIds: [EXERCISE], capacity: Math.max(learners, 1) }),
    });
    if (!created.ok) throw new Error(`creating the workshop failed: ${created.status} ${await created.text()}`);
    const workshop = (await created.json()) as { workshopId: string; joinCode: string; instructorUrl: string };
    const key = new URL(workshop.instructorUrl, server.base).searchParams.get('key')!;

    // The instructor's dashboard, followed for the whole test: each update says which activity caused it.
    const latencies: number[] = [];
    const dashboardAbort = new AbortController();
    const dashboard = await fetch(
      `${server.base}/api/workshops/${workshop.workshopId}/dashboard?key=${encodeURIComponent(key)}`,
      { signal: dashboardAbort.signal },
    );
    type View = { learners: { cells: Record<string, { state: string }> }[] };
    const seen: { last: View | null } = { last: null };
    const dashboardDone = followSse(dashboard, (event, data) => {
      if (event !== 'dashboard') return;
      const update = data as { trigger?: number; dashboard: View };
      if (update.trigger) latencies.push(Date.now() - update.trigger);
      seen.last = update.dashboard;
    }).catch(() => undefined);

    const clients = Array.from({ length: learners }, () => new Client(server.base));
    const joinStarted = Date.now();
    await Promise.all(
      clients.map(async (client, index) => {
        const joined = await client.fetch('/api/workshops/join', {
          method: 'POST',
          body: JSON.stringify({ code: workshop.joinCode, displayName: `Learner ${index + 1}` }),
        });
        if (!joined.ok) throw new Error(`learner ${index + 1} could not join: ${joined.status} ${await joined.text()}`);
      }),
    );
    const joinMs = Date.now() - joinStarted;
    const terminal = await Promise.all(clients.map((client) => terminalRoundTrip(server, client).catch(() => -1)));

    // Everyone presses Run at the same moment. What the machine spends meanwhile is measured, and split
    // into the lab server, this script's simulated learners (their browsers, elsewhere in a real room),
    // the engine and the containers.
    const idle = await idleRate(2);
    const serverSeconds = () => processSeconds(server.child.pid!, true) ?? 0;
    const clientsBefore = labSeconds();
    let results: { status: string; totalMs: number; waitMs: number }[] = [];
    const pressed = Date.now();
    const cost = await measure(
      async () => {
        results = await Promise.all(clients.map((client) => pressRun(client, files)));
      },
      serverSeconds,
      idle,
    );
    const wall = Date.now() - pressed;
    const clientsSeconds = labSeconds() - clientsBefore;
    // Let the dashboard catch up with the last results, then stop following it.
    await delay(1500);
    dashboardAbort.abort();
    await dashboardDone;
    const shownPassing = seen.last?.learners.filter((row) => row.cells[EXERCISE]?.state === 'passing').length ?? 0;

    const runContainers = (await serverContainers(server)).filter(
      (info) => !info.Labels?.['lab.workstation'] && info.Labels?.['lab.origin'] !== 'terminal',
    );
    const totals = results.map((result) => result.totalMs);
    const waits = results.map((result) => result.waitMs).filter((ms) => ms > 0);
    const okTerminals = terminal.filter((ms) => ms >= 0);
    return {
      learners,
      join_all_ms: joinMs,
      terminal_ready_ms: {
        answered: okTerminals.length,
        median: percentile(okTerminals, 50),
        p95: percentile(okTerminals, 95),
      },
      runs_correct: results.filter((result) => result.status === 'pass').length,
      runs_other: results.filter((result) => result.status !== 'pass').map((result) => result.status),
      time_to_result_ms: { p50: percentile(totals, 50), p95: percentile(totals, 95), wall },
      cpu_seconds_while_running: cpuBreakdown(cost, clientsSeconds, learners, wall),
      queue_wait_ms: {
        median: percentile(waits, 50),
        max: Math.max(...waits),
        fairness_max_over_median: round(Math.max(...waits) / Math.max(1, percentile(waits, 50)), 2),
      },
      dashboard_update_latency_ms: {
        updates: latencies.length,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        target_p95: 1000,
        passing_shown: shownPassing,
      },
      server_rss_mib: { peak: round(Math.max(...memory)), end: round(memory.at(-1) ?? 0) },
      run_containers_left: runContainers.length,
      containers_left_after_shutdown: await stopAndCount(server),
    };
  } finally {
    clearInterval(sampler);
    if (server.child.exitCode === null) {
      stopping = true;
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
}

/** Containers that this server started (its lab.process label), workstations included. */
async function serverContainers(server: LabServer) {
  const list = await dockerFromEnv().listContainers({ all: true, filters: { label: [OWNER_LABEL] } });
  return list.filter((info) => info.Labels?.['lab.process']?.split('/')[1] === String(server.child.pid));
}

/** Stops the server as an operator would (SIGTERM) and counts what it left behind. */
async function stopAndCount(server: LabServer): Promise<number> {
  stopping = true;
  server.child.kill('SIGTERM');
  await server.exited;
  return (await serverContainers(server)).length;
}

/** The Run phase's CPU, per part and per run; `other` (the rest of the machine) leaves out the simulated learners. */
function cpuBreakdown(cost: Cost, clients: number, runs: number, wallMs: number) {
  const { driver, other, ...engine } = cost;
  const parts = { ...engine, lab_server: driver, simulated_learners: clients, other: Math.max(0, other - clients) };
  return {
    cores_busy: round(cost.total / (wallMs / 1000), 2),
    total: round(cost.total, 1),
    per_run: Object.fromEntries(Object.entries(parts).map(([key, value]) => [key, round(value / runs, 3)])),
  };
}
