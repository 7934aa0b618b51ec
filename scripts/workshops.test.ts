// Workshops through real HTTP requests against the real server and engine: creating one (validated,
// rate-limited), joining with the code (locked, ended, full, not yet open refused with a reason;
// members may come back), the instructor's routes refused without the key, with a wrong key and with
// another workshop's key, learners kept to their own data, messages reaching learners' pages live,
// the CSV export, and end and reset really removing the members' containers.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { caseFiles, findExercise } from '../lib/lessons/curriculum';
import { followSse, requestJson, startLabServer, type JsonReply, type LabServer, type SseMessage } from './test-harness';

const PID1 = 'main-process-exit/pid1';
const DIAGNOSE = 'main-process-exit/diagnose';
const databaseFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-workshops-')), 'lab.db');
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
let server: LabServer;
/** Enough for the workshops the tests create, and a limit the last test reaches. */
const CREATES_PER_HOUR = 25;

before(async () => {
  server = await startLabServer({ env: { DATABASE_URL: `file:${databaseFile}`, LAB_WORKSHOPS_PER_HOUR: String(CREATES_PER_HOUR) } });
});

after(async () => {
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, server.output());
});

type Reply = JsonReply;

function call(method: string, url: string, options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return requestJson(server.base, method, url, options);
}

interface Created {
  workshopId: string;
  joinCode: string;
  instructorKey: string;
  instructorUrl: string;
}

async function create(overrides: Record<string, unknown> = {}): Promise<Created> {
  const reply = await call('POST', '/api/workshops', { body: { title: 'Containers and PID 1', exerciseIds: [PID1, DIAGNOSE], capacity: 40, ...overrides } });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body as unknown as Created;
}

/** Joins as a new learner (or the one of `cookie`); returns the reply with the learner's cookie. */
async function join(code: string, displayName: string, cookie?: string): Promise<Reply & { cookie: string }> {
  const reply = await call('POST', '/api/workshops/join', { body: { code, displayName }, cookie });
  return { ...reply, cookie: cookie ?? reply.cookie! };
}

function learnerIdOf(cookie: string): string {
  return cookie.slice('lab_learner='.length).split('.')[0];
}

/** An SSE stream followed while the test goes on: the messages so far, and a wait for one that matches. */
interface Stream {
  messages: SseMessage[];
  waitFor(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

async function stream(url: string, cookie: string): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${server.base}${url}`, { headers: { cookie }, signal: abort.signal });
  assert.equal(response.status, 200, `${url} answered ${response.status}`);
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  followSse(response, (event, data) => {
    messages.push({ event, data });
    waiters.forEach((wake) => wake());
  }).catch(() => undefined);
  return {
    messages,
    close: () => abort.abort(),
    waitFor: (match, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event from ${url} within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.event))}`));
        }, timeoutMs);
        const check = () => {
          const found = messages.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
  };
}

const instructor = (workshop: Created) => ({ 'x-instructor-key': workshop.instructorKey });

/** The containers on the engine that belong to a learner (runs, workstation, terminal, incident). */
async function containersOf(learnerId: string): Promise<string[]> {
  return (await docker.listContainers({ all: true, filters: { label: [`lab.owner=${learnerId}`] } })).map((info) => info.Id);
}

/** Starts a run of pid1's starter (slow to stop: a shell as PID 1) and resolves once its container runs. */
async function runInProgress(cookie: string): Promise<string> {
  const exercise = findExercise(PID1)!;
  const started = await call('POST', '/api/runs', { body: { exerciseId: PID1, files: exercise.starter }, cookie });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const runId = started.body.runId as string;
  const events = await stream(`/api/runs/${runId}/events`, cookie);
  try {
    await events.waitFor((message) => message.event === 'timeline' && (message.data as { type: string }).type === 'container-start', 120_000);
  } finally {
    events.close();
  }
  return runId;
}

/** Opens the learner's diagnosis incident: their stopped my-api container exists on the engine. */
async function openIncident(cookie: string): Promise<void> {
  const opened = await call('POST', '/api/incidents', { body: { exerciseId: DIAGNOSE }, cookie });
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
}

describe('workshops', { timeout: 300_000 }, () => {
  test('creating: exercises from the curriculum, capacity 1..500, a short code, a long key of which only the hash is kept', async () => {
    const bad = [
      [{ exerciseIds: ['nope/nothing'] }, /no exercise nope\/nothing/],
      [{ exerciseIds: [PID1, PID1] }, /at most once/],
      [{ exerciseIds: [] }, /at least one exercise/],
      [{ capacity: 0 }, /at least 1/],
      [{ capacity: 501 }, /at most 500/],
      [{ title: '   ' }, /a title/],
      [{ startsAt: '2026-11-22T10:00:00Z', endsAt: '2026-11-22T09:00:00Z' }, /after the start/],
    ] as const;
    for (const [overrides, message] of bad) {
      const reply = await call('POST', '/api/workshops', { body: { title: 'T', exerciseIds: [PID1], capacity: 10, ...overrides } });
      assert.equal(reply.status, 400, JSON.stringify(overrides));
      assert.match(reply.body.error as string, message);
    }
    const workshop = await create();
    assert.match(workshop.joinCode, /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    assert.ok(workshop.instructorKey.length >= 40);
    assert.equal(workshop.instructorUrl, `/instructor/${workshop.workshopId}?key=${encodeURIComponent(workshop.instructorKey)}`);
    // What the server recorded, read through the lab's own store.
    process.env.DATABASE_URL = `file:${databaseFile}`;
    const { workshopById } = await import('../lib/db/workshop-store');
    const stored = (await workshopById(workshop.workshopId))!;
    assert.equal(stored.instructorSecretHash, createHash('sha256').update(workshop.instructorKey).digest('hex'), 'its hash is kept');
    assert.equal(JSON.stringify(stored).includes(workshop.instructorKey), false, 'the key itself is not');
    assert.deepEqual(stored.exerciseIds, [PID1, DIAGNOSE], 'the exercises in their order');
  });

  test("the instructor's routes refuse without the key, with a wrong key and with another workshop's key", async () => {
    const mine = await create();
    const theirs = await create();
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/workshops/${mine.workshopId}`],
      ['POST', `/api/workshops/${mine.workshopId}/lock`],
      ['POST', `/api/workshops/${mine.workshopId}/unlock`],
      ['POST', `/api/workshops/${mine.workshopId}/end`],
      ['POST', `/api/workshops/${mine.workshopId}/reopen`],
      ['POST', `/api/workshops/${mine.workshopId}/messages`, { text: 'hello' }],
      ['POST', `/api/workshops/${mine.workshopId}/members/l0123456789abcdef/reset`],
      ['GET', `/api/workshops/${mine.workshopId}/export.csv`],
    ];
    for (const [method, url, body] of routes) {
      const none = await call(method, url, { body });
      assert.equal(none.status, 401, `${method} ${url} without a key`);
      const wrong = await call(method, url, { body, headers: { 'x-instructor-key': 'x'.repeat(43) } });
      assert.equal(wrong.status, 403, `${method} ${url} with a wrong key`);
      const other = await call(method, url, { body, headers: instructor(theirs) });
      assert.equal(other.status, 403, `${method} ${url} with another workshop's key`);
      const inQuery = await call(method, `${url}?key=${encodeURIComponent(theirs.instructorKey)}`, { body });
      assert.equal(inQuery.status, 403, `${method} ${url} with another workshop's key in the URL`);
    }
    // A workshop that does not exist answers as a wrong key does: nothing is learnt by trying.
    assert.equal((await call('GET', '/api/workshops/w000000000000', { headers: instructor(mine) })).status, 403);

    // None of those changed anything; the right key, in the header or the URL, works.
    const view = await call('GET', `/api/workshops/${mine.workshopId}?key=${encodeURIComponent(mine.instructorKey)}`);
    assert.equal(view.status, 200);
    const workshop = view.body.workshop as { state: string; locked: boolean; messages: unknown[]; joinCode: string };
    assert.equal(workshop.state, 'open');
    assert.equal(workshop.locked, false);
    assert.deepEqual(workshop.messages, []);
    assert.equal(workshop.joinCode, mine.joinCode);
    assert.equal(JSON.stringify(view.body).includes('Hash'), false, 'the key hash is not answered');
    const locked = await call('POST', `/api/workshops/${mine.workshopId}/lock`, { headers: instructor(mine) });
    assert.equal((locked.body.workshop as { state: string }).state, 'locked');
  });

  test('joining: by code and name; locked, full, ended and not yet open are refused with a reason; members come back', async () => {
    const small = await create({ capacity: 2 });
    const code = `${small.joinCode.slice(0, 3).toLowerCase()}-${small.joinCode.slice(3)}`;
    const ada = await join(code, 'Ada');
    assert.equal(ada.status, 200, JSON.stringify(ada.body));
    assert.match(ada.cookie, /^lab_learner=l[0-9a-f]{16}\./);
    assert.deepEqual(ada.body, { workshopId: small.workshopId, title: 'Containers and PID 1', rejoined: false, firstExerciseUrl: `/exercises/${PID1}` });
    const bo = await join(small.joinCode, 'Bo');
    assert.equal(bo.status, 200);
    const full = await join(small.joinCode, 'Cy');
    assert.equal(full.status, 409);
    assert.equal((full.body.details as { reason: string }).reason, 'full');
    assert.match(full.body.error as string, /full/);
    const back = await join(small.joinCode, 'Ada L.', ada.cookie);
    assert.equal(back.status, 200, 'a member comes back to a full workshop');
    assert.equal(back.body.rejoined, true);

    assert.equal((await join('ZZZZZZ', 'Dee')).status, 404);
    const badCode = await join('what?', 'Dee');
    assert.equal(badCode.status, 400);
    assert.equal((await join(small.joinCode, '  ')).status, 400, 'a name is needed');

    const room = await create();
    await call('POST', `/api/workshops/${room.workshopId}/lock`, { headers: instructor(room) });
    const lockedOut = await join(room.joinCode, 'Eve');
    assert.equal(lockedOut.status, 403);
    assert.equal((lockedOut.body.details as { reason: string }).reason, 'locked');
    await call('POST', `/api/workshops/${room.workshopId}/unlock`, { headers: instructor(room) });
    const eve = await join(room.joinCode, 'Eve', lockedOut.cookie);
    assert.equal(eve.status, 200);

    const ended = await call('POST', `/api/workshops/${room.workshopId}/end`, { headers: instructor(room) });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal((ended.body.workshop as { state: string }).state, 'ended');
    for (const cookie of [undefined, eve.cookie]) {
      const refused = await join(room.joinCode, 'Eve', cookie);
      assert.equal(refused.status, 410, 'nobody joins an ended workshop, members neither');
      assert.equal((refused.body.details as { reason: string }).reason, 'ended');
    }
    const reopened = await call('POST', `/api/workshops/${room.workshopId}/reopen`, { headers: instructor(room) });
    assert.equal((reopened.body.workshop as { state: string }).state, 'open');
    assert.equal((await join(room.joinCode, 'Eve', eve.cookie)).status, 200);

    const later = await create({ startsAt: new Date(Date.now() + 3600_000).toISOString() });
    const early = await join(later.joinCode, 'Fay');
    assert.equal(early.status, 403);
    assert.equal((early.body.details as { reason: string }).reason, 'not-started');
    assert.match(early.body.error as string, /opens at/);
  });

  test('a learner reads only their own data: their workshop, drafts and attempts, not another workshop or learner', async () => {
    const one = await create({ title: 'Room one' });
    const two = await create({ title: 'Room two' });
    const ada = await join(one.joinCode, 'Ada');
    const bo = await join(two.joinCode, 'Bo');

    const adaView = await call('GET', '/api/workshop', { cookie: ada.cookie });
    assert.equal(adaView.status, 200);
    const workshop = adaView.body.workshop as { id: string; title: string; displayName: string; state: string; exercises: { id: string; state: string; href: string }[] };
    assert.equal(workshop.id, one.workshopId);
    assert.equal(workshop.title, 'Room one');
    assert.equal(workshop.displayName, 'Ada');
    assert.deepEqual(workshop.exercises.map((exercise) => [exercise.id, exercise.state, exercise.href]), [
      [PID1, 'not-started', `/exercises/${PID1}`],
      [DIAGNOSE, 'not-started', `/exercises/${DIAGNOSE}`],
    ]);
    assert.equal(JSON.stringify(adaView.body).includes(one.joinCode), false, 'a learner is not given the code or anything of the instructor');
    assert.equal(((await call('GET', '/api/workshop', { cookie: bo.cookie })).body.workshop as { title: string }).title, 'Room two');
    assert.equal((await call('GET', '/api/workshop')).status, 404, 'no cookie, no workshop');
    const forged = `lab_learner=${learnerIdOf(ada.cookie)}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    assert.equal((await call('GET', '/api/workshop', { cookie: forged })).status, 404, "a forged cookie is not Ada's");
    assert.equal((await call('GET', '/api/workshop/events', { cookie: forged })).status, 404);
    const loner = (await call('POST', '/api/learner')).cookie!;
    assert.equal((await call('GET', '/api/workshop', { cookie: loner })).status, 404, 'a learner in no workshop is self-paced');

    // Ada's draft and attempt are hers alone.
    const saved = await call('PUT', `/api/drafts?exerciseId=${PID1}`, { body: { files: [{ name: 'Dockerfile', content: 'FROM lab/node\n# Ada' }] }, cookie: ada.cookie });
    assert.equal(saved.status, 200);
    const run = await call('POST', '/api/runs', { body: { exerciseId: PID1, files: [{ name: 'Dockerfile', content: 'FROM nowhere\n' }] }, cookie: ada.cookie });
    assert.equal(run.status, 202, JSON.stringify(run.body));
    const runId = run.body.runId as string;
    const done = await stream(`/api/runs/${runId}/events`, ada.cookie);
    await done.waitFor((message) => message.event === 'result', 60_000);
    done.close();
    assert.equal(((await call('GET', `/api/drafts?exerciseId=${PID1}`, { cookie: ada.cookie })).body.files as { content: string }[])[0].content, 'FROM lab/node\n# Ada');
    for (const other of [bo.cookie, loner, forged, undefined]) {
      assert.equal((await call('GET', `/api/drafts?exerciseId=${PID1}`, { cookie: other })).body.files, null, "another learner does not get Ada's draft");
      const runs = await call('GET', `/api/runs?exerciseId=${PID1}`, { cookie: other });
      assert.deepEqual([runs.body.runs, runs.body.attempts], [[], []], "nor her attempts");
      assert.equal((await call('GET', `/api/runs/${runId}/events`, { cookie: other })).status, 404, 'nor her run');
    }
    assert.equal(((await call('GET', `/api/runs?exerciseId=${PID1}`, { cookie: ada.cookie })).body.attempts as unknown[]).length, 1);
  });

  test("the instructor's messages reach members' pages live, bounded in length and rate", async () => {
    const room = await create();
    const ada = await join(room.joinCode, 'Ada');
    const outsider = await join((await create()).joinCode, 'Bo');
    const page = await stream(`/api/workshop/events`, ada.cookie);
    const elsewhere = await stream(`/api/workshop/events`, outsider.cookie);
    try {
      const first = await page.waitFor((message) => message.event === 'workshop');
      assert.equal((first.data as { id: string }).id, room.workshopId);
      const posted = await call('POST', `/api/workshops/${room.workshopId}/messages`, { body: { text: '  Take a 5 minute break  ' }, headers: instructor(room) });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const message = posted.body.message as { id: string; text: string; createdAt: string };
      assert.equal(message.text, 'Take a 5 minute break');
      const live = await page.waitFor((event) => event.event === 'message');
      assert.deepEqual(live.data, message);
      assert.deepEqual(((await call('GET', '/api/workshop', { cookie: ada.cookie })).body.workshop as { messages: unknown[] }).messages, [message], 'and it is there for a page opened later');

      await call('POST', `/api/workshops/${room.workshopId}/lock`, { headers: instructor(room) });
      assert.deepEqual((await page.waitFor((event) => event.event === 'state')).data, { state: 'locked' });

      const long = await call('POST', `/api/workshops/${room.workshopId}/messages`, { body: { text: 'x'.repeat(281) }, headers: instructor(room) });
      assert.equal(long.status, 400);
      assert.match(long.body.error as string, /at most 280/);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await call('POST', `/api/workshops/${room.workshopId}/messages`, { body: { text: `note ${i}` }, headers: instructor(room) })).status);
      assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429], 'six a minute');
      assert.equal(elsewhere.messages.filter((event) => event.event === 'message').length, 0, "another workshop's learner hears none of it");
    } finally {
      page.close();
      elsewhere.close();
    }
  });

  test('the results as CSV: one row per learner and exercise, escaped, no formulas', async () => {
    const room = await create();
    const ada = await join(room.joinCode, '=HYPERLINK("http://x","y")');
    await join(room.joinCode, 'Lovelace, Ada');
    const exercise = findExercise(PID1)!;
    const run = await call('POST', '/api/runs', { body: { exerciseId: PID1, files: caseFiles(exercise, 'wrong/shell-form-cmd').filter((file) => exercise.spec.files.includes(file.name)) }, cookie: ada.cookie });
    assert.equal(run.status, 202, JSON.stringify(run.body));
    const events = await stream(`/api/runs/${run.body.runId as string}/events`, ada.cookie);
    await events.waitFor((message) => message.event === 'result', 120_000);
    events.close();
    // The outcome is recorded just after the page hears the result.
    let csv = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const response = await fetch(`${server.base}/api/workshops/${room.workshopId}/export.csv`, { headers: instructor(room) });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /^text\/csv/);
      assert.match(response.headers.get('content-disposition')!, new RegExp(`attachment; filename="workshop-${room.joinCode}-results.csv"`));
      csv = await response.text();
      if (/,failing,1,/.test(csv)) break;
    }
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'display_name,learner_id,exercise_id,exercise_title,status,attempts,first_attempt_at,last_attempt_at,time_spent_s,last_failed_checks');
    assert.equal(lines.length, 1 + 2 * 2, 'two learners × two exercises');
    const adaPid1 = lines.find((line) => line.includes(PID1) && line.includes('HYPERLINK'))!;
    assert.ok(adaPid1.startsWith(`"'=HYPERLINK(""http://x"",""y"")",${learnerIdOf(ada.cookie)},${PID1},Make the server PID 1,failing,1,`), adaPid1);
    assert.match(adaPid1, /,\d{4}-\d\d-\d\dT[^,]+Z,\d{4}-\d\d-\d\dT[^,]+Z,\d+,[a-z0-9 -]*pid1-is-server/);
    assert.ok(lines.some((line) => line.startsWith(`"Lovelace, Ada",`) && line.includes(`,${PID1},Make the server PID 1,not-started,0,,,0,`)));
  });

  test("reset removes one member's containers, end removes every member's; records stay", async () => {
    const room = await create();
    const ada = await join(room.joinCode, 'Ada');
    const bo = await join(room.joinCode, 'Bo');
    const adaId = learnerIdOf(ada.cookie);
    const boId = learnerIdOf(bo.cookie);
    await openIncident(ada.cookie);
    await openIncident(bo.cookie);
    await runInProgress(ada.cookie);
    assert.ok((await containersOf(adaId)).length >= 2, "Ada's incident and her run's container");
    const page = await stream(`/api/workshop/events`, ada.cookie);
    try {
      await page.waitFor((message) => message.event === 'workshop');
      const notMember = await call('POST', `/api/workshops/${room.workshopId}/members/l0123456789abcdef/reset`, { headers: instructor(room) });
      assert.equal(notMember.status, 404);
      const reset = await call('POST', `/api/workshops/${room.workshopId}/members/${adaId}/reset`, { headers: instructor(room) });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.deepEqual(reset.body, { reset: true, learnerId: adaId });
      assert.deepEqual(await containersOf(adaId), [], "Ada's containers are gone");
      assert.ok((await containersOf(boId)).length >= 1, "Bo's incident is still there");
      await page.waitFor((message) => message.event === 'reset');

      await openIncident(ada.cookie);
      await runInProgress(bo.cookie);
      const ended = await call('POST', `/api/workshops/${room.workshopId}/end`, { headers: instructor(room) });
      assert.equal(ended.status, 200, JSON.stringify(ended.body));
      assert.equal(ended.body.stoppedSandboxes, 2);
      assert.deepEqual(await containersOf(adaId), []);
      assert.deepEqual(await containersOf(boId), []);
      assert.deepEqual((await page.waitFor((message) => message.event === 'state')).data, { state: 'ended' });
    } finally {
      page.close();
    }
    // Every record stays: the members, their attempts (the stopped runs judged on what was observed).
    const view = await call('GET', `/api/workshops/${room.workshopId}`, { headers: instructor(room) });
    assert.deepEqual((view.body.workshop as { members: { displayName: string }[] }).members.map((member) => member.displayName), ['Ada', 'Bo']);
    for (const cookie of [ada.cookie, bo.cookie]) {
      const attempts = (await call('GET', `/api/runs?exerciseId=${PID1}`, { cookie })).body.attempts as { status: string }[];
      assert.equal(attempts.length, 1);
    }
    const learnerView = (await call('GET', '/api/workshop', { cookie: bo.cookie })).body.workshop as { state: string };
    assert.equal(learnerView.state, 'ended');
  });

  test('creating is rate-limited per address', async () => {
    let reply: Reply | undefined;
    for (let i = 0; i <= CREATES_PER_HOUR && reply?.status !== 429; i++) reply = await call('POST', '/api/workshops', { body: { title: 'T', exerciseIds: [PID1], capacity: 5 } });
    assert.equal(reply!.status, 429);
    assert.match(reply!.body.error as string, /too many workshops created from this address: try again in \d+ s/);
  });
});
