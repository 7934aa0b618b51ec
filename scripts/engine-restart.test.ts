// The lab's Docker engine crashes (kill -9 of dockerd) in the middle of a learner's run, on a second
// engine of its own so that no other test loses theirs: the learner is told in words that the engine
// restarted and nothing was judged, the attempt is recorded as interrupted, /api/health reports the
// engine down and then back, the run's container is removed once the engine answers again, and the
// learner's next run passes. A Run pressed while the engine is away is refused in words, not started.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { caseFiles, findExercise } from '../lib/lessons/curriculum';
import { dockerFromEnv } from '../lib/sandbox/docker-engine';
import { ENGINE_AWAY_MESSAGE, ENGINE_LOST_MESSAGE } from '../lib/sandbox/engine-lost';
import { SecondEngine, SECOND_ENGINE } from './second-engine';
import { followSse, startLabServer, type LabServer } from './test-harness';

const engine = new SecondEngine();
const databaseUrl = `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-engine-restart-')), 'lab.db')}`;

before(async () => {
  await engine.start();
  await engine.copyImages(dockerFromEnv());
});
after(() => engine.stop());

interface Health {
  ok: boolean;
  engine: { ok: boolean; outages: number; error?: string };
}

async function health(server: LabServer): Promise<Health> {
  return (await (await fetch(`${server.base}/api/health`)).json()) as Health;
}

/** Asks until `accept` holds (the engine watch pings every 5 s). */
async function healthUntil(server: LabServer, accept: (health: Health) => boolean): Promise<Health> {
  for (;;) {
    const seen = await health(server);
    if (accept(seen)) return seen;
    await delay(250);
  }
}

test(
  'a run whose engine crashes ends with words a learner understands, and the lab recovers',
  { timeout: 240_000 },
  async () => {
    const server = await startLabServer({ env: { DATABASE_URL: databaseUrl, DOCKER_HOST: SECOND_ENGINE.host } });
    try {
      assert.deepEqual(await health(server).then((seen) => [seen.ok, seen.engine.outages]), [true, 0]);
      // foreground's scenario waits 5 s with its container running: the engine is killed in that wait,
      // between two calls, not while a container is being created.
      const exercise = findExercise('main-process-exit/foreground')!;
      const files = caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));
      const started = await fetch(`${server.base}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.base },
        body: JSON.stringify({ exerciseId: exercise.id, files }),
      });
      assert.equal(started.status, 202);
      const cookie = started.headers.get('set-cookie')!.split(';')[0];
      const { runId } = (await started.json()) as { runId: string };

      let crashed = 0;
      const errors: string[] = [];
      const actions: string[] = [];
      let result: { status: string; checks: { id: string; status: string }[] } | undefined;
      await followSse(
        await fetch(`${server.base}/api/runs/${runId}/events`, { headers: { cookie } }),
        (event, data) => {
          const payload = data as { type?: string; message?: string; status?: string; action?: string };
          if (event === 'timeline' && payload.type === 'action-start') actions.push(payload.action!);
          if (event === 'timeline' && payload.type === 'container-start' && !crashed) {
            crashed = Date.now();
            void delay(500).then(() => engine.crash());
          }
          if (event === 'timeline' && payload.type === 'platform-error') errors.push(payload.message!);
          if (event === 'result') {
            result = payload as typeof result;
            return true;
          }
        },
      );
      assert.ok(crashed, 'the container started before the crash');
      assert.equal(result?.status, 'error');
      assert.deepEqual(errors, [ENGINE_LOST_MESSAGE], 'one message, in words, not the socket error');
      // Nothing seen before the loss reads as the learner's failure: the image built, and no check is judged.
      assert.deepEqual(
        result!.checks.map((check) => check.status),
        ['pass', ...result!.checks.slice(1).map(() => 'error')],
      );
      assert.ok(result!.checks.length > 1);
      // The loss ended the 5 s wait: the run did not go on to its next step and fail there.
      assert.deepEqual(actions, ['after-5s']);

      const runs = (await (
        await fetch(`${server.base}/api/runs?exerciseId=${exercise.id}`, { headers: { cookie } })
      ).json()) as { attempts: { runId: string; status: string }[] };
      assert.deepEqual(
        runs.attempts.map((attempt) => [attempt.runId, attempt.status]),
        [[runId, 'interrupted']],
      );

      const down = await healthUntil(server, (seen) => seen.engine.outages === 1);
      assert.equal(down.ok, false, 'health answers 503 while the engine is away');
      assert.match(server.output(), /The Docker engine stopped answering/);
      // Run pressed while the engine is away: refused in words, with when to try again, and not recorded.
      const pid1 = findExercise('main-process-exit/pid1')!;
      const press = () =>
        fetch(`${server.base}/api/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, origin: server.base },
          body: JSON.stringify({ exerciseId: pid1.id, files: caseFiles(pid1, 'solution') }),
        });
      const refused = await press();
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '5');
      assert.equal(((await refused.json()) as { error: string }).error, ENGINE_AWAY_MESSAGE);
      const pid1Runs = (await (
        await fetch(`${server.base}/api/runs?exerciseId=${pid1.id}`, { headers: { cookie } })
      ).json()) as { attempts: unknown[] };
      assert.deepEqual(pid1Runs.attempts, [], 'a refused run is not an attempt');

      await engine.start();
      await healthUntil(server, (seen) => seen.ok);
      // The watch saw it back, and removed the container the run could not remove while it was away.
      for (let waited = 0; ; waited += 250) {
        const left = await engine.docker.listContainers({ all: true, filters: { label: [`lab.run=${runId}`] } });
        if (left.length === 0) break;
        assert.ok(waited < 30_000, `the run's container is still there: ${left.map((info) => info.State)}`);
        await delay(250);
      }
      assert.match(server.output(), /The Docker engine answers again/);

      // The learner runs again, and it is judged.
      const again = await press();
      assert.equal(again.status, 202);
      const { runId: next } = (await again.json()) as { runId: string };
      let status = '';
      await followSse(await fetch(`${server.base}/api/runs/${next}/events`, { headers: { cookie } }), (event, data) => {
        if (event === 'result') {
          status = (data as { status: string }).status;
          return true;
        }
      });
      assert.equal(status, 'pass');
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    }
    const left = await engine.docker.listContainers({ all: true, filters: { label: ['lab.run'] } });
    assert.deepEqual(left, [], 'nothing is left on the engine after the server stopped');
  },
);
