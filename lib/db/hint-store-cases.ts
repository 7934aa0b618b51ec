// Graded hints on a real database, run within the store tests on SQLite and on PostgreSQL: the steps a
// learner opens and how, the failed runs that open them, and when the solution may be shown (after
// the hints, never while the learner's workshop holds it back).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import type { Exercise } from '../lessons/curriculum';

/** Defines the graded hint tests; the caller has pointed DATABASE_URL at a migrated database. */
export function defineHintStoreTests(): void {
  let hints: typeof import('../hints/learner-hints');
  let learners: typeof import('./learner-store');
  let workshops: typeof import('./workshop-store');
  let rooms: typeof import('./room-store');
  let exercise: Exercise;
  const learner = () => `l${randomBytes(8).toString('hex')}`;

  before(async () => {
    hints = await import('../hints/learner-hints');
    learners = await import('./learner-store');
    workshops = await import('./workshop-store');
    rooms = await import('./room-store');
    exercise = (await import('../lessons/curriculum')).findExercise('main-process-exit/foreground')!;
  });

  const failRun = async (learnerId: string) => {
    const id = `r${randomBytes(6).toString('hex')}`;
    await learners.recordAttemptStart({ id, learnerId, exerciseId: exercise.id, files: [] });
    await learners.recordAttemptEnd({
      id,
      learnerId,
      exerciseId: exercise.id,
      status: 'fail',
      checks: [],
      summary: {},
    });
  };

  test('graded hints: the idea opens on request, the fix only after it; texts leave only once opened', async () => {
    const ann = learner();
    await failRun(ann);
    const first = await hints.hintsOf(ann, exercise);
    assert.equal(first.failedRuns, 1);
    assert.equal(first.unlockedLevel, 1);
    assert.deepEqual(first.checks['pid1-is-daemon'], { opened: 1 });
    assert.equal(first.solution, 'after-hints');
    await assert.rejects(
      hints.openHint(ann, exercise, { checkId: 'pid1-is-daemon', level: 3, how: 'requested' }),
      /open the idea/,
    );
    await assert.rejects(
      hints.openHint(ann, exercise, { checkId: 'pid1-is-daemon', level: 2, how: 'unlocked' }),
      /after 2 failed runs/,
    );
    await assert.rejects(
      hints.openHint(ann, exercise, { checkId: 'no-such-check', level: 2, how: 'requested' }),
      /no further hints/,
    );

    const idea = await hints.openHint(ann, exercise, { checkId: 'pid1-is-daemon', level: 2, how: 'requested' });
    const opened = idea.checks['pid1-is-daemon'];
    assert.equal(opened.opened, 2);
    assert.equal(opened.concept?.href, '/lessons/main-process-exit#the-container-is-its-main-process');
    assert.equal(opened.concept?.section, 'The container is its main process');
    assert.equal(opened.fix, undefined);
    assert.equal(idea.checks['no-pid-file'].opened, 1, 'other checks stay closed');

    const fix = await hints.openHint(ann, exercise, { checkId: 'pid1-is-daemon', level: 3, how: 'requested' });
    assert.match(fix.checks['pid1-is-daemon'].fix ?? '', /--foreground/);
    assert.equal(fix.solution, 'open', 'the solution comes after a fix');
    // Opening again records nothing new: the first time counts.
    await hints.openHint(ann, exercise, { checkId: 'pid1-is-daemon', level: 3, how: 'requested' });
    const { hintViewsOf } = await import('./hint-store');
    assert.deepEqual(
      (await hintViewsOf(ann, exercise.id)).map((view) => [view.checkId, view.level, view.how]),
      [
        ['pid1-is-daemon', 2, 'requested'],
        ['pid1-is-daemon', 3, 'requested'],
      ],
    );
  });

  test('graded hints: failed runs open the steps by themselves, and the solution after three', async () => {
    const bo = learner();
    await failRun(bo);
    await failRun(bo);
    assert.equal((await hints.hintsOf(bo, exercise)).unlockedLevel, 2);
    await assert.rejects(
      hints.openHint(bo, exercise, { checkId: 'no-pid-file', level: 3, how: 'unlocked' }),
      /after 3 failed runs/,
    );
    // A requested fix needs the idea open, and two failed runs have opened it by themselves.
    const requested = await hints.openHint(bo, exercise, { checkId: 'no-pid-file', level: 3, how: 'requested' });
    assert.equal(requested.checks['no-pid-file'].opened, 3);
    const carl = learner();
    for (let i = 0; i < 3; i++) await failRun(carl);
    const view = await hints.hintsOf(carl, exercise);
    assert.equal(view.unlockedLevel, 3);
    assert.equal(view.solution, 'open');
    const unlocked = await hints.openHint(carl, exercise, { checkId: 'logs-on-stdout', level: 3, how: 'unlocked' });
    assert.ok(unlocked.checks['logs-on-stdout'].concept && unlocked.checks['logs-on-stdout'].fix);
  });

  test('graded hints: a workshop that holds the solutions back refuses them to its members, for its exercises only', async () => {
    const dee = learner();
    for (let i = 0; i < 3; i++) await failRun(dee);
    const room = await workshops.insertWorkshop({
      id: `w${randomBytes(6).toString('hex')}`,
      title: 'Room',
      joinCode: (await import('../workshops/join-code')).newJoinCode(),
      instructorSecretHash: 'ab'.repeat(32),
      exerciseIds: [exercise.id],
      capacity: 40,
    });
    await workshops.upsertMember({ workshopId: room.id, learnerId: dee, displayName: 'Dee' });
    assert.equal((await hints.hintsOf(dee, exercise)).solution, 'open');
    await workshops.updateWorkshop(room.id, { solutionsHeld: true });
    assert.equal((await hints.hintsOf(dee, exercise)).solution, 'held');
    const other = (await import('../lessons/curriculum')).findExercise('main-process-exit/pid1')!;
    assert.equal(await hints.solutionsHeldFor(dee, other.id), false, 'an exercise outside the workshop');
    await workshops.updateWorkshop(room.id, { endedAt: new Date() });
    assert.equal((await hints.hintsOf(dee, exercise)).solution, 'open', 'an ended workshop holds nothing back');

    // The room's records count the help sought.
    await hints.openHint(dee, exercise, { checkId: 'no-log-file', level: 3, how: 'unlocked' });
    await learners.recordSolutionShown(dee, exercise.id);
    const rows = await rooms.roomRows(room.id, [exercise.id]);
    assert.deepEqual(
      rows.help.map(({ hintSteps, fixes, solutionShownAt }) => [hintSteps, fixes, typeof solutionShownAt]),
      [[2, 1, 'number']],
    );
  });
}
