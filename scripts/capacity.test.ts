// Fair capacity through the server's API, on the real engine, with one slot and room for two waiting
// runs: queued runs hear their position as it changes (with an estimate) and start in turn; a run past
// the queue is refused at once with 503 and Retry-After; a learner past their rate gets 429 at once;
// the health check tells how busy the slots are.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { caseFiles, findExercise } from '../lib/lessons/curriculum';
import { followSse, startLabServer, type LabServer } from './test-harness';

let server: LabServer;
const exercise = findExercise('main-process-exit/pid1')!;
const solution = caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));

before(async () => {
  server = await startLabServer({
    env: { LAB_MAX_RUNS: '1', LAB_MAX_QUEUE: '2', LAB_RUNS_PER_MINUTE: '1', LAB_WRITES_PER_MINUTE: '3' },
  });
});

after(async () => {
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, server.output());
});

interface Started {
  status: number;
  ms: number;
  cookie?: string;
  runId?: string;
  error?: string;
  retryAfter: string | null;
}

async function startRun(cookie?: string): Promise<Started> {
  const started = Date.now();
  const response = await fetch(`${server.base}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ exerciseId: exercise.id, files: solution }),
  });
  const body = (await response.json()) as { runId?: string; error?: string };
  return {
    status: response.status,
    ms: Date.now() - started,
    cookie: response.headers.get('set-cookie')?.split(';')[0] ?? cookie,
    runId: body.runId,
    error: body.error,
    retryAfter: response.headers.get('retry-after'),
  };
}

interface Seen {
  type: string;
  position?: number;
  estimateMs?: number;
  at: number;
}

/** Follows a run's events as they arrive, until its result; resolves with them and the status. */
async function follow(run: Started): Promise<{ seen: Seen[]; status: string }> {
  const seen: Seen[] = [];
  let status = '';
  const response = await fetch(`${server.base}/api/runs/${run.runId}/events`, { headers: { cookie: run.cookie! } });
  await followSse(response, (event, data) => {
    if (event === 'result') {
      status = (data as { status: string }).status;
      return true;
    }
    const { type, position, estimateMs } = data as Seen;
    seen.push({ type, position, estimateMs, at: Date.now() });
  });
  return { seen, status };
}

describe('fair capacity', { timeout: 180_000 }, () => {
  test('queued runs hear their place as it changes and start in turn; past the queue, 503 at once', async (t) => {
    const first = await startRun();
    assert.equal(first.status, 202, first.error);
    const firstDone = follow(first);
    const second = await startRun();
    const third = await startRun();
    assert.equal(second.status, 202, second.error);
    assert.equal(third.status, 202, third.error);
    const secondDone = follow(second);
    const thirdDone = follow(third);

    // The queue holds two: a fourth learner is refused at once, told how many wait and when to try again.
    const fourth = await startRun();
    assert.equal(fourth.status, 503);
    assert.match(fourth.error ?? '', /^the lab is at capacity: 2 runs waiting, try again in ~\d+ s$/);
    assert.match(fourth.retryAfter ?? '', /^\d+$/);
    assert.ok(fourth.ms < 1000, `503 answered in ${fourth.ms} ms`);

    const health = (await (await fetch(`${server.base}/api/health`)).json()) as {
      capacity: { slots: number; active: number; waiting: number; maxWaiting: number };
    };
    assert.deepEqual(health.capacity, { slots: 1, active: 1, waiting: 2, maxWaiting: 2 });

    const [a, b, c] = await Promise.all([firstDone, secondDone, thirdDone]);
    for (const run of [a, b, c]) assert.equal(run.status, 'pass');
    assert.deepEqual(
      a.seen.filter((e) => e.type === 'queued'),
      [],
      'the first run started at once',
    );
    const places = (run: typeof b) => run.seen.filter((e) => e.type === 'queued');
    assert.deepEqual(
      places(b).map((e) => e.position),
      [1],
    );
    assert.deepEqual(
      places(c).map((e) => e.position),
      [2, 1],
      'the third run heard it moved up',
    );
    for (const event of [...places(b), ...places(c)])
      assert.ok(Number.isInteger(event.estimateMs) && event.estimateMs! > 0, JSON.stringify(event));
    assert.ok(places(c)[0].estimateMs! > places(c)[1].estimateMs!, 'the estimate shrinks as the run moves up');
    // In turn: each run is told it is next before it builds, and builds after the one before it ended.
    const at = (run: typeof a, type: string) => run.seen.find((e) => e.type === type)!.at;
    assert.ok(places(c)[1].at <= at(c, 'build-start'));
    assert.ok(at(a, 'run-end') <= at(b, 'build-start') && at(b, 'run-end') <= at(c, 'build-start'));

    // The first learner is past their rate (one run a minute): 429 at once, with Retry-After.
    const again = await startRun(first.cookie);
    assert.equal(again.status, 429);
    assert.match(again.error ?? '', /^too many runs: at most 1 a minute per learner: try again in \d+ s$/);
    assert.ok(Number(again.retryAfter) >= 1 && Number(again.retryAfter) <= 60);
    assert.ok(again.ms < 1000, `429 answered in ${again.ms} ms`);
    t.diagnostic(
      `503 in ${fourth.ms} ms, 429 in ${again.ms} ms; estimates heard: ${JSON.stringify(places(c).map((e) => e.estimateMs))} ms`,
    );
  });

  test("draft saves past the learner's rate get 429 at once; another learner is not affected", async () => {
    const save = async (cookie?: string) => {
      const started = Date.now();
      const response = await fetch(`${server.base}/api/drafts?exerciseId=${exercise.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ files: solution }),
      });
      return {
        response,
        ms: Date.now() - started,
        cookie: response.headers.get('set-cookie')?.split(';')[0] ?? cookie,
      };
    };
    const first = await save();
    assert.equal(first.response.status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await save(first.cookie)).response.status, 200);
    const refused = await save(first.cookie);
    assert.equal(refused.response.status, 429);
    assert.match(
      ((await refused.response.json()) as { error: string }).error,
      /^too many changes saved: at most 3 a minute per learner: try again in \d+ s$/,
    );
    assert.ok(Number(refused.response.headers.get('retry-after')) >= 1);
    assert.ok(refused.ms < 1000);
    assert.equal((await save()).response.status, 200, 'another learner saves as usual');
  });
});
