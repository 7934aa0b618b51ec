// Workshops through real HTTP requests against the real server and engine: creating one (validated,
// rate-limited), joining with the code (locked, ended, full, not yet open refused with a reason;
// members may come back), the instructor's routes refused without the key, with a wrong key and with
// another workshop's key, and learners kept to their own data.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  call,
  create,
  CREATES_PER_HOUR,
  databaseFile,
  DIAGNOSE,
  instructor,
  join,
  learnerIdOf,
  PID1,
  stream,
  workshopServer,
  type Reply,
} from './workshops-fixtures';

workshopServer();

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
      const reply = await call('POST', '/api/workshops', {
        body: { title: 'T', exerciseIds: [PID1], capacity: 10, ...overrides },
      });
      assert.equal(reply.status, 400, JSON.stringify(overrides));
      assert.match(reply.body.error as string, message);
    }
    const workshop = await create();
    assert.match(workshop.joinCode, /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    assert.ok(workshop.instructorKey.length >= 40);
    assert.equal(
      workshop.instructorUrl,
      `/instructor/${workshop.workshopId}?key=${encodeURIComponent(workshop.instructorKey)}`,
    );
    // What the server recorded, read through the lab's own store.
    process.env.DATABASE_URL = `file:${databaseFile}`;
    const { workshopById } = await import('../lib/db/workshop-store');
    const stored = (await workshopById(workshop.workshopId))!;
    assert.equal(
      stored.instructorSecretHash,
      createHash('sha256').update(workshop.instructorKey).digest('hex'),
      'its hash is kept',
    );
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
    assert.deepEqual(ada.body, {
      workshopId: small.workshopId,
      title: 'Containers and PID 1',
      rejoined: false,
      firstExerciseUrl: `/exercises/${PID1}`,
    });
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
    const workshop = adaView.body.workshop as {
      id: string;
      title: string;
      displayName: string;
      state: string;
      exercises: { id: string; state: string; href: string }[];
    };
    assert.equal(workshop.id, one.workshopId);
    assert.equal(workshop.title, 'Room one');
    assert.equal(workshop.displayName, 'Ada');
    assert.deepEqual(
      workshop.exercises.map((exercise) => [exercise.id, exercise.state, exercise.href]),
      [
        [PID1, 'not-started', `/exercises/${PID1}`],
        [DIAGNOSE, 'not-started', `/exercises/${DIAGNOSE}`],
      ],
    );
    assert.equal(
      JSON.stringify(adaView.body).includes(one.joinCode),
      false,
      'a learner is not given the code or anything of the instructor',
    );
    assert.equal(
      ((await call('GET', '/api/workshop', { cookie: bo.cookie })).body.workshop as { title: string }).title,
      'Room two',
    );
    assert.equal((await call('GET', '/api/workshop')).status, 404, 'no cookie, no workshop');
    const forged = `lab_learner=${learnerIdOf(ada.cookie)}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    assert.equal((await call('GET', '/api/workshop', { cookie: forged })).status, 404, "a forged cookie is not Ada's");
    assert.equal((await call('GET', '/api/workshop/events', { cookie: forged })).status, 404);
    const loner = (await call('POST', '/api/learner')).cookie!;
    assert.equal(
      (await call('GET', '/api/workshop', { cookie: loner })).status,
      404,
      'a learner in no workshop is self-paced',
    );

    // Ada's draft and attempt are hers alone.
    const saved = await call('PUT', `/api/drafts?exerciseId=${PID1}`, {
      body: { files: [{ name: 'Dockerfile', content: 'FROM lab/node\n# Ada' }] },
      cookie: ada.cookie,
    });
    assert.equal(saved.status, 200);
    const run = await call('POST', '/api/runs', {
      body: { exerciseId: PID1, files: [{ name: 'Dockerfile', content: 'FROM nowhere\n' }] },
      cookie: ada.cookie,
    });
    assert.equal(run.status, 202, JSON.stringify(run.body));
    const runId = run.body.runId as string;
    const done = await stream(`/api/runs/${runId}/events`, ada.cookie);
    await done.waitFor((message) => message.event === 'result', 60_000);
    done.close();
    assert.equal(
      (
        (await call('GET', `/api/drafts?exerciseId=${PID1}`, { cookie: ada.cookie })).body.files as {
          content: string;
        }[]
      )[0].content,
      'FROM lab/node\n# Ada',
    );
    for (const other of [bo.cookie, loner, forged, undefined]) {
      assert.equal(
        (await call('GET', `/api/drafts?exerciseId=${PID1}`, { cookie: other })).body.files,
        null,
        "another learner does not get Ada's draft",
      );
      const runs = await call('GET', `/api/runs?exerciseId=${PID1}`, { cookie: other });
      assert.deepEqual([runs.body.runs, runs.body.attempts], [[], []], 'nor her attempts');
      assert.equal((await call('GET', `/api/runs/${runId}/events`, { cookie: other })).status, 404, 'nor her run');
    }
    assert.equal(
      ((await call('GET', `/api/runs?exerciseId=${PID1}`, { cookie: ada.cookie })).body.attempts as unknown[]).length,
      1,
    );
  });

  test('creating is rate-limited per address', async () => {
    let reply: Reply | undefined;
    for (let i = 0; i <= CREATES_PER_HOUR && reply?.status !== 429; i++)
      reply = await call('POST', '/api/workshops', { body: { title: 'T', exerciseIds: [PID1], capacity: 5 } });
    assert.equal(reply!.status, 429);
    assert.match(reply!.body.error as string, /too many workshops created from this address: try again in \d+ s/);
  });
});
