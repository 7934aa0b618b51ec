// The diagnosis exercise through the server's API, against the real engine: opening it stages the
// learner's incident as their my-api and records the truth observed (what docker inspect shows);
// every check of answer.json is judged against the truth of the learner's current incident and the
// attempt names that incident; a new incident replaces the old one; the truth never reaches the page
// unless the learner asks for the solution.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { engineContainerName, scopeOf } from '../lib/proxy/scope';
import { waitFor } from '../lib/testing/wait-for';
import { readSse, startLabServer, type LabServer } from './test-harness';

const EXERCISE = 'main-process-exit/diagnose';
const databaseFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-diagnosis-')), 'lab.db');
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
let server: LabServer;

before(async () => {
  server = await startLabServer({ env: { DATABASE_URL: `file:${databaseFile}` } });
});

after(async () => {
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, server.output());
});

interface Reply {
  status: number;
  body: Record<string, unknown>;
  cookie?: string;
}

async function call(method: string, url: string, body?: unknown, cookie?: string): Promise<Reply> {
  const response = await fetch(`${server.base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    cookie: response.headers.get('set-cookie')?.split(';')[0],
  };
}

/** Checks an answer as the page does: start a run, then read its result from the event stream. */
async function check(
  answer: string,
  cookie: string,
): Promise<{ runId: string; status: string; checks: { id: string; status: string; hint?: string }[] }> {
  const started = await call(
    'POST',
    '/api/runs',
    { exerciseId: EXERCISE, files: [{ name: 'answer.json', content: answer }] },
    cookie,
  );
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const runId = started.body.runId as string;
  const messages = await readSse(await fetch(`${server.base}/api/runs/${runId}/events`, { headers: { cookie } }));
  const result = messages.find((message) => message.event === 'result')!.data as {
    status: string;
    checks: { id: string; status: string }[];
  };
  return { runId, ...result };
}

/**
 * What the server recorded: the incident, and the attempts that name it, read through the lab's own
 * store once none is still running (the outcome is written just after the page hears the result).
 */
async function records(learnerId: string, incidentId: string) {
  process.env.DATABASE_URL = `file:${databaseFile}`;
  const { incidentById } = await import('../lib/db/incident-store');
  const { attemptsOf } = await import('../lib/db/learner-store');
  const attempts = await waitFor(
    async () => {
      const found = (await attemptsOf(learnerId, EXERCISE)).filter((attempt) => attempt.incidentId === incidentId);
      return found.every((attempt) => attempt.status !== 'running') && found;
    },
    { timeoutMs: 10_000, what: `the attempts on incident ${incidentId} to be recorded`, intervalMs: 50 },
  );
  return {
    incident: (await incidentById(incidentId))!,
    attempts: attempts.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()),
  };
}

test(
  'a diagnosis: staged and recorded as observed, checked against the recorded truth, replaced on request',
  { timeout: 240_000 },
  async () => {
    const opened = await call('POST', '/api/incidents', { exerciseId: EXERCISE });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    const cookie = opened.cookie!;
    const incident = opened.body.incident as { id: string; status: string; container: string; image: string };
    assert.equal(incident.status, 'ready');
    assert.equal(incident.container, 'my-api');
    assert.match(incident.image, /^my-api:\d+\.\d+\.\d+$/);
    assert.deepEqual(
      Object.keys(incident).sort(),
      ['container', 'createdAt', 'id', 'image', 'status'],
      'nothing of the truth reaches the page',
    );

    // The learner's my-api on the engine, as their terminal shows it: the truth recorded is what Docker says of it.
    const learnerId = decodeURIComponent(cookie.split('=')[1]).replace(/\.[^.]*$/, '');
    const info = await docker.getContainer(engineContainerName(scopeOf(learnerId), 'my-api')).inspect();
    assert.equal(info.State.Running, false);
    const recorded = (await records(learnerId, incident.id)).incident;
    assert.equal(recorded.status, 'ready');
    assert.equal(recorded.containerId, info.Id);
    const truth = recorded.truth!;
    assert.equal(truth.exitCode, info.State.ExitCode);
    assert.equal(truth.oomKilled, info.State.OOMKilled);
    assert.deepEqual(truth.startedCommand, [info.Path, ...info.Args]);
    assert.equal(truth.seed, recorded.seed);

    // Opening the exercise again finds the same incident while its container is there.
    assert.equal(
      ((await call('POST', '/api/incidents', { exerciseId: EXERCISE }, cookie)).body.incident as { id: string }).id,
      incident.id,
    );
    assert.equal(
      ((await call('GET', `/api/incidents?exerciseId=${EXERCISE}`, undefined, cookie)).body.incident as { id: string })
        .id,
      incident.id,
    );

    // The starter fails; the right answer, the solution of this learner's incident, passes.
    const starter = await check('{\n  "pid1": "",\n  "exitCode": null,\n  "cause": ""\n}\n', cookie);
    assert.equal(starter.status, 'fail');
    assert.deepEqual(
      starter.checks.map((c) => [c.id, c.status]),
      [
        ['answer-format', 'pass'],
        ['pid1', 'fail'],
        ['exit-code', 'fail'],
        ['cause', 'fail'],
      ],
    );
    // The solution comes after the hints: refused until the learner has opened the fix of a check.
    const early = await call('GET', `/api/solution?exerciseId=${EXERCISE}`, undefined, cookie);
    assert.equal(early.status, 403);
    assert.match(String(early.body.error), /after the hints/);
    const idea = await call(
      'POST',
      `/api/hints?exerciseId=${EXERCISE}`,
      { checkId: 'cause', level: 2, how: 'requested' },
      cookie,
    );
    assert.equal(idea.status, 200, JSON.stringify(idea.body));
    const idea2 = (idea.body.checks as Record<string, { concept?: { href: string } }>).cause;
    assert.match(idea2.concept?.href ?? '', /^\/lessons\/main-process-exit#/);
    assert.equal(
      (
        await call(
          'POST',
          `/api/hints?exerciseId=${EXERCISE}`,
          { checkId: 'cause', level: 3, how: 'requested' },
          cookie,
        )
      ).status,
      200,
    );
    const solution = await call('GET', `/api/solution?exerciseId=${EXERCISE}`, undefined, cookie);
    const answer = (solution.body.files as { name: string; content: string }[])[0];
    assert.equal(answer.name, 'answer.json');
    assert.deepEqual(JSON.parse(answer.content), {
      pid1: truth.pid1Command,
      exitCode: info.State.ExitCode,
      cause: truth.cause,
    });
    const right = await check(answer.content, cookie);
    assert.equal(right.status, 'pass', JSON.stringify(right.checks));
    const wrongCode = await check(
      JSON.stringify({ ...JSON.parse(answer.content), exitCode: (info.State.ExitCode + 1) % 256 }),
      cookie,
    );
    assert.deepEqual(
      wrongCode.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      ['exit-code'],
    );

    // Every attempt is stored with its status, naming the incident it was checked against.
    assert.deepEqual(
      (await records(learnerId, incident.id)).attempts.map((attempt) => [attempt.id, attempt.status]),
      [
        [starter.runId, 'fail'],
        [right.runId, 'pass'],
        [wrongCode.runId, 'fail'],
      ],
    );

    // New incident: another staged in place of the first, and checks now go against its truth.
    const renewed = await call('POST', '/api/incidents', { exerciseId: EXERCISE, fresh: true }, cookie);
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
    const next = renewed.body.incident as { id: string };
    assert.notEqual(next.id, incident.id);
    await assert.rejects(docker.getContainer(info.Id).inspect(), /no such container/i, 'the first incident is gone');
    const afterRenewal = await check(answer.content, cookie);
    assert.equal(
      (await records(learnerId, next.id)).attempts.at(-1)?.id,
      afterRenewal.runId,
      'the check names the new incident',
    );
    assert.equal((await records(learnerId, incident.id)).attempts.length, 3);
  },
);

test('refuses to check a diagnosis without a ready incident, and incident requests that make no sense', async () => {
  const stranger = await call('POST', '/api/runs', {
    exerciseId: EXERCISE,
    files: [{ name: 'answer.json', content: '{}' }],
  });
  assert.equal(stranger.status, 409);
  assert.match(stranger.body.error as string, /no incident to diagnose yet/);
  assert.equal((await call('POST', '/api/incidents', { exerciseId: 'main-process-exit/pid1' })).status, 400);
  assert.equal((await call('POST', '/api/incidents', { exerciseId: 'main-process-exit/nope' })).status, 404);
  assert.equal((await call('POST', '/api/incidents', { exerciseId: EXERCISE, fresh: 'yes' })).status, 400);
  assert.equal(
    (await call('POST', '/api/runs', { exerciseId: EXERCISE, files: [{ name: 'Dockerfile', content: 'FROM x' }] }))
      .status,
    400,
  );
  assert.deepEqual((await call('GET', `/api/incidents?exerciseId=${EXERCISE}`)).body, { incident: null });
});
