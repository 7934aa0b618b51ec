// The workshop records' tests, run within the store tests on SQLite and on PostgreSQL (after their
// migration): workshops by id and code, members who join, come back and move on, messages, and joins
// that race for the last places of a workshop.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';

/** Defines the workshop store tests; the caller has pointed DATABASE_URL at a migrated database. */
export function defineWorkshopStoreTests(): void {
  let store: typeof import('./workshop-store');
  let codes: typeof import('../workshops/join-code');
  // Ids and codes of this run: a PostgreSQL test database outlives the run.
  const learner = () => `l${randomBytes(8).toString('hex')}`;
  const workshop = (overrides: Partial<Parameters<typeof store.insertWorkshop>[0]> = {}) =>
    store.insertWorkshop({
      id: `w${randomBytes(6).toString('hex')}`,
      title: 'Room',
      joinCode: codes.newJoinCode(),
      instructorSecretHash: 'ab'.repeat(32),
      exerciseIds: ['a/one', 'a/two'],
      capacity: 40,
      ...overrides,
    });

  before(async () => {
    store = await import('./workshop-store');
    codes = await import('../workshops/join-code');
  });

  test('a workshop is found by id and by join code, its exercises in order; a taken code is refused', async () => {
    const starts = new Date('2026-11-22T09:00:00.000Z');
    const created = await workshop({ exerciseIds: ['b/z', 'a/y', 'c/x'], startsAt: starts });
    assert.deepEqual(await store.workshopById(created.id), created);
    assert.deepEqual(await store.workshopByJoinCode(created.joinCode), created);
    assert.deepEqual(created.exerciseIds, ['b/z', 'a/y', 'c/x']);
    assert.deepEqual(
      [created.startsAt, created.endsAt, created.locked, created.endedAt],
      [starts, undefined, false, undefined],
    );
    await assert.rejects(workshop({ joinCode: created.joinCode }), store.JoinCodeTaken);
    assert.equal(await store.workshopById('wnothing'), null);
  });

  test('locked, ended and reopened are recorded', async () => {
    const created = await workshop();
    assert.equal((await store.updateWorkshop(created.id, { locked: true })).locked, true);
    const ended = await store.updateWorkshop(created.id, { endedAt: new Date() });
    assert.ok(ended.endedAt instanceof Date);
    const reopened = await store.updateWorkshop(created.id, { endedAt: null, endsAt: null });
    assert.deepEqual([reopened.endedAt, reopened.endsAt, reopened.locked], [undefined, undefined, true]);
  });

  test("members join, come back under another name, and a learner's current workshop is the one joined last", async () => {
    const [first, second] = [await workshop(), await workshop()];
    const ada = learner();
    const joined = await store.upsertMember({ workshopId: first.id, learnerId: ada, displayName: 'Ada' });
    assert.equal((await store.currentMembership(ada))?.workshop.id, first.id);
    await store.upsertMember({ workshopId: second.id, learnerId: ada, displayName: 'Ada' });
    assert.equal((await store.currentMembership(ada))?.workshop.id, second.id);
    assert.deepEqual(await store.currentMembers(first.id), [], 'she moved on to the second');
    const back = await store.upsertMember({ workshopId: first.id, learnerId: ada, displayName: 'Ada L.' });
    assert.deepEqual(
      [back.displayName, back.joinedAt.getTime()],
      ['Ada L.', joined.joinedAt.getTime()],
      'the first join time stays',
    );
    assert.ok(back.lastJoinedAt >= joined.lastJoinedAt);
    const current = await store.currentMembership(ada);
    assert.deepEqual([current?.workshop.id, current?.member.displayName], [first.id, 'Ada L.']);
    assert.deepEqual(
      (await store.currentMembers(first.id)).map((member) => member.learnerId),
      [ada],
    );
    assert.equal(await store.memberCount(first.id), 1);
    assert.equal((await store.memberOf(second.id, ada))?.displayName, 'Ada');
    assert.equal(await store.memberOf(second.id, learner()), null);
    assert.equal(await store.currentMembership(learner()), null, 'a learner in no workshop has none');
  });

  test('messages: the newest, oldest first, of their workshop only', async () => {
    const [room, other] = [await workshop(), await workshop()];
    for (const [index, text] of ['one', 'two', 'three'].entries()) {
      await store.insertMessage({
        id: `m${randomBytes(6).toString('hex')}`,
        workshopId: room.id,
        text,
        createdAt: new Date(Date.now() + index),
      });
    }
    await store.insertMessage({
      id: `m${randomBytes(6).toString('hex')}`,
      workshopId: other.id,
      text: 'elsewhere',
      createdAt: new Date(),
    });
    assert.deepEqual(
      (await store.latestMessages(room.id, 2)).map((message) => message.text),
      ['two', 'three'],
    );
  });

  test('learners racing for the last places: exactly as many join as there are places', async () => {
    const { joinWorkshop } = await import('../workshops/join-workshop');
    const room = await workshop({ capacity: 3 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) =>
        joinWorkshop(learner(), `10.0.0.${index}`, { code: room.joinCode, displayName: `L${index}` }),
      ),
    );
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 3);
    const refusals = results.flatMap((result) =>
      result.status === 'rejected' ? [(result.reason as { details?: { reason?: string } }).details?.reason] : [],
    );
    assert.deepEqual(refusals, ['full', 'full', 'full', 'full', 'full']);
    assert.equal(await store.memberCount(room.id), 3);
  });
}
