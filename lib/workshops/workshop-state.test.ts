// Joining: who may come in, and the reason given to those who may not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinRefusal, workshopState } from './workshop-state';

const now = new Date('2026-11-22T10:00:00Z');
const open = { locked: false, capacity: 2, startsAt: undefined, endsAt: undefined, endedAt: undefined };

test('an open workshop takes learners until it is full', () => {
  assert.equal(workshopState(open, now), 'open');
  assert.equal(joinRefusal(open, 1, false, now), null);
  assert.deepEqual(joinRefusal(open, 2, false, now)?.reason, 'full');
  assert.equal(joinRefusal(open, 2, true, now), null, 'a member comes back to a full workshop');
});

test('locked keeps new learners out, not members', () => {
  const locked = { ...open, locked: true };
  assert.equal(workshopState(locked, now), 'locked');
  assert.equal(joinRefusal(locked, 0, false, now)?.status, 403);
  assert.match(joinRefusal(locked, 0, false, now)!.message, /locked/);
  assert.equal(joinRefusal(locked, 1, true, now), null);
});

test('ended, not yet started and past its end refuse everyone, members too', () => {
  const ended = { ...open, endedAt: new Date('2026-11-22T09:00:00Z') };
  assert.equal(workshopState(ended, now), 'ended');
  assert.equal(joinRefusal(ended, 0, true, now)?.reason, 'ended');
  const early = { ...open, startsAt: new Date('2026-11-22T11:00:00Z') };
  assert.equal(workshopState(early, now), 'scheduled');
  assert.equal(joinRefusal(early, 0, false, now)?.message, 'this workshop opens at 2026-11-22 11:00 UTC');
  const late = { ...open, endsAt: new Date('2026-11-22T10:00:00Z') };
  assert.equal(workshopState(late, now), 'closed');
  assert.equal(joinRefusal(late, 0, true, now)?.reason, 'closed');
});
