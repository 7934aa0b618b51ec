// What an instructor does in a running workshop, through real HTTP requests against the real server and
// engine: messages reaching learners' pages live, the results as CSV, and reset and end really removing
// the members' containers while every record stays.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { caseFiles, findExercise } from '../lib/lessons/curriculum';
import { waitFor } from '../lib/testing/wait-for';
import {
  call,
  containersOf,
  create,
  instructor,
  join,
  learnerIdOf,
  openIncident,
  PID1,
  runInProgress,
  server,
  stream,
  workshopServer,
} from './workshops-fixtures';

workshopServer();

describe('workshops', { timeout: 300_000 }, () => {
  test("the instructor's messages reach members' pages live, bounded in length and rate", async () => {
    const room = await create();
    const ada = await join(room.joinCode, 'Ada');
    const outsider = await join((await create()).joinCode, 'Bo');
    const page = await stream(`/api/workshop/events`, ada.cookie);
    const elsewhere = await stream(`/api/workshop/events`, outsider.cookie);
    try {
      const first = await page.waitFor((message) => message.event === 'workshop');
      assert.equal((first.data as { id: string }).id, room.workshopId);
      const posted = await call('POST', `/api/workshops/${room.workshopId}/messages`, {
        body: { text: '  Take a 5 minute break  ' },
        headers: instructor(room),
      });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const message = posted.body.message as { id: string; text: string; createdAt: string };
      assert.equal(message.text, 'Take a 5 minute break');
      const live = await page.waitFor((event) => event.event === 'message');
      assert.deepEqual(live.data, message);
      assert.deepEqual(
        ((await call('GET', '/api/workshop', { cookie: ada.cookie })).body.workshop as { messages: unknown[] })
          .messages,
        [message],
        'and it is there for a page opened later',
      );

      await call('POST', `/api/workshops/${room.workshopId}/lock`, { headers: instructor(room) });
      assert.deepEqual((await page.waitFor((event) => event.event === 'state')).data, { state: 'locked' });

      const long = await call('POST', `/api/workshops/${room.workshopId}/messages`, {
        body: { text: 'x'.repeat(281) },
        headers: instructor(room),
      });
      assert.equal(long.status, 400);
      assert.match(long.body.error as string, /at most 280/);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (
            await call('POST', `/api/workshops/${room.workshopId}/messages`, {
              body: { text: `note ${i}` },
              headers: instructor(room),
            })
          ).status,
        );
      assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429], 'six a minute');
      assert.equal(
        elsewhere.messages.filter((event) => event.event === 'message').length,
        0,
        "another workshop's learner hears none of it",
      );
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
    const run = await call('POST', '/api/runs', {
      body: {
        exerciseId: PID1,
        files: caseFiles(exercise, 'wrong/shell-form-cmd').filter((file) => exercise.spec.files.includes(file.name)),
      },
      cookie: ada.cookie,
    });
    assert.equal(run.status, 202, JSON.stringify(run.body));
    const events = await stream(`/api/runs/${run.body.runId as string}/events`, ada.cookie);
    await events.waitFor((message) => message.event === 'result', 120_000);
    events.close();
    // The outcome is recorded just after the page hears the result.
    const csv = await waitFor(
      async () => {
        const response = await fetch(`${server.base}/api/workshops/${room.workshopId}/export.csv`, {
          headers: instructor(room),
        });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type')!, /^text\/csv/);
        assert.match(
          response.headers.get('content-disposition')!,
          new RegExp(`attachment; filename="workshop-${room.joinCode}-results.csv"`),
        );
        const text = await response.text();
        return /,failing,1,/.test(text) && text;
      },
      { timeoutMs: 10_000, what: "Ada's failing attempt in the CSV" },
    );
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'display_name,learner_id,exercise_id,exercise_title,status,attempts,first_attempt_at,last_attempt_at,time_spent_s,last_failed_checks,predictions,hint_steps_opened,fixes_opened,solution_shown_at',
    );
    assert.equal(lines.length, 1 + 2 * 2, 'two learners × two exercises');
    const adaPid1 = lines.find((line) => line.includes(PID1) && line.includes('HYPERLINK'))!;
    assert.ok(
      adaPid1.startsWith(
        `"'=HYPERLINK(""http://x"",""y"")",${learnerIdOf(ada.cookie)},${PID1},Make the server PID 1,failing,1,`,
      ),
      adaPid1,
    );
    assert.match(adaPid1, /,\d{4}-\d\d-\d\dT[^,]+Z,\d{4}-\d\d-\d\dT[^,]+Z,\d+,[a-z0-9 -]*pid1-is-server/);
    assert.ok(adaPid1.endsWith(',0,0,'), `no hint opened, no solution seen: ${adaPid1}`);
    assert.ok(
      lines.some(
        (line) =>
          line.startsWith(`"Lovelace, Ada",`) && line.includes(`,${PID1},Make the server PID 1,not-started,0,,,0,`),
      ),
    );
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
      const notMember = await call('POST', `/api/workshops/${room.workshopId}/members/l0123456789abcdef/reset`, {
        headers: instructor(room),
      });
      assert.equal(notMember.status, 404);
      const reset = await call('POST', `/api/workshops/${room.workshopId}/members/${adaId}/reset`, {
        headers: instructor(room),
      });
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
    assert.deepEqual(
      (view.body.workshop as { members: { displayName: string }[] }).members.map((member) => member.displayName),
      ['Ada', 'Bo'],
    );
    for (const cookie of [ada.cookie, bo.cookie]) {
      const attempts = (await call('GET', `/api/runs?exerciseId=${PID1}`, { cookie })).body.attempts as {
        status: string;
      }[];
      assert.equal(attempts.length, 1);
    }
    const learnerView = (await call('GET', '/api/workshop', { cookie: bo.cookie })).body.workshop as { state: string };
    assert.equal(learnerView.state, 'ended');
  });
});
