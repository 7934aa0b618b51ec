// The room as the instructor sees it, from records: states, attempts, time, failure classes, stuck.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult } from '../checks/check-result';
import { buildDashboard, type DashboardInput } from './dashboard';

const MIN = 60_000;
const check = (id: string, title: string, status: 'pass' | 'fail'): CheckResult => ({
  id,
  title,
  status,
  message: '',
  expected: '',
  observed: '',
  bonus: false,
});
const shell = check('pid1-is-node', 'PID 1 is node server.js', 'fail');
const stops = check('stops-fast', 'docker stop takes under 2 s', 'fail');

function input(overrides: Partial<DashboardInput>): DashboardInput {
  return {
    exercises: [
      { id: 'a/pid1', title: 'PID 1' },
      { id: 'a/stop', title: 'Stop' },
    ],
    members: [
      { learnerId: 'ada', displayName: 'Ada', joinedAt: 0 },
      { learnerId: 'bo', displayName: 'Bo', joinedAt: 0 },
      { learnerId: 'cy', displayName: 'Cy', joinedAt: 0 },
    ],
    attempts: [],
    drafts: [],
    running: new Set(),
    now: 30 * MIN,
    idleMs: 10 * MIN,
    repeatedFailures: 3,
    ...overrides,
  };
}

test('cells: not started, working, failing, passing, with attempts and time spent', () => {
  const dashboard = buildDashboard(
    input({
      attempts: [
        {
          id: '1',
          learnerId: 'ada',
          exerciseId: 'a/pid1',
          status: 'fail',
          checks: [shell],
          startedAt: 20 * MIN,
          finishedAt: 20 * MIN + 5000,
        },
        {
          id: '2',
          learnerId: 'ada',
          exerciseId: 'a/pid1',
          status: 'pass',
          checks: [check('pid1-is-node', 'PID 1 is node server.js', 'pass')],
          startedAt: 25 * MIN,
          finishedAt: 25 * MIN + 5000,
        },
        {
          id: '3',
          learnerId: 'bo',
          exerciseId: 'a/pid1',
          status: 'fail',
          checks: [shell, stops],
          startedAt: 28 * MIN,
          finishedAt: 28 * MIN + 4000,
        },
        { id: '4', learnerId: 'ada', exerciseId: 'a/stop', status: 'running', startedAt: 29 * MIN },
      ],
      drafts: [{ learnerId: 'cy', exerciseId: 'a/pid1', updatedAt: 29 * MIN }],
      help: [{ learnerId: 'ada', exerciseId: 'a/pid1', hintSteps: 2, fixes: 1, solutionShownAt: 24 * MIN }],
      running: new Set(['ada a/stop']),
    }),
  );
  const [ada, bo, cy] = dashboard.learners;
  assert.deepEqual(ada.cells['a/pid1'], {
    state: 'passing',
    attempts: 2,
    timeSpentMs: 5 * MIN + 5000,
    lastAttemptId: '2',
    failedChecks: [],
    hintSteps: 2,
    fixes: 1,
    solutionShownAt: 24 * MIN,
  });
  assert.deepEqual([bo.cells['a/pid1'].hintSteps, bo.cells['a/pid1'].solutionShownAt], [0, undefined]);
  assert.equal(ada.cells['a/stop'].state, 'working');
  assert.equal(bo.cells['a/pid1'].state, 'failing');
  assert.deepEqual(bo.cells['a/pid1'].failedChecks, ['pid1-is-node', 'stops-fast']);
  assert.equal(bo.cells['a/stop'].state, 'not-started');
  assert.equal(cy.cells['a/pid1'].state, 'working', 'a saved draft is work in progress');
  assert.deepEqual(dashboard.exercises[0], { id: 'a/pid1', title: 'PID 1', passing: 1, working: 1, failing: 1 });
  assert.deepEqual(
    dashboard.failureClasses['a/pid1'].map(({ checkId, attempts, learners, current }) => ({
      checkId,
      attempts,
      learners,
      current,
    })),
    [
      { checkId: 'pid1-is-node', attempts: 2, learners: 2, current: 1 },
      { checkId: 'stops-fast', attempts: 1, learners: 1, current: 1 },
    ],
  );
});

test('stuck: the same check failing three times in a row, or no activity for the idle time', () => {
  const fail = (id: string, at: number, checks: CheckResult[]) => ({
    id,
    learnerId: 'bo',
    exerciseId: 'a/pid1',
    status: 'fail',
    checks,
    startedAt: at,
    finishedAt: at + 1000,
  });
  const dashboard = buildDashboard(
    input({
      attempts: [
        fail('1', 25 * MIN, [shell]),
        fail('2', 26 * MIN, [shell, stops]),
        fail('3', 27 * MIN, [shell]),
        {
          id: '4',
          learnerId: 'ada',
          exerciseId: 'a/pid1',
          status: 'fail',
          checks: [shell],
          startedAt: 28 * MIN,
          finishedAt: 28 * MIN + 1000,
        },
      ],
    }),
  );
  const [ada, bo, cy] = dashboard.learners;
  assert.deepEqual(bo.stuck, [
    { exerciseId: 'a/pid1', reason: '3 failed attempts in a row on "PID 1 is node server.js"' },
  ]);
  assert.deepEqual(ada.stuck, [], 'one failure is not stuck');
  assert.deepEqual(cy.stuck, [{ reason: 'no activity for 30 min' }]);
});

test('a learner with everything passing is never flagged idle', () => {
  const pass = (id: string, exerciseId: string) => ({
    id,
    learnerId: 'ada',
    exerciseId,
    status: 'pass',
    checks: [],
    startedAt: MIN,
    finishedAt: MIN + 1000,
  });
  const dashboard = buildDashboard(input({ attempts: [pass('1', 'a/pid1'), pass('2', 'a/stop')] }));
  assert.deepEqual(dashboard.learners[0].stuck, []);
});

test('failed attempts counted by the known mistake each looks like, the most specific one', () => {
  const exercises = [
    {
      id: 'a/pid1',
      title: 'PID 1',
      mistakes: {
        'shell-form': { about: 'a shell is PID 1', fails: ['pid1-is-node', 'stops-fast'] },
        'no-handler': { about: 'no handler', fails: ['stops-fast'] },
      },
    },
  ];
  const dashboard = buildDashboard(
    input({
      exercises,
      attempts: [
        {
          id: '1',
          learnerId: 'ada',
          exerciseId: 'a/pid1',
          status: 'fail',
          checks: [shell, stops],
          startedAt: 20 * MIN,
          finishedAt: 20 * MIN + 5000,
        },
        {
          id: '2',
          learnerId: 'bo',
          exerciseId: 'a/pid1',
          status: 'fail',
          checks: [check('pid1-is-node', 'PID 1 is node server.js', 'pass'), stops],
          startedAt: 21 * MIN,
          finishedAt: 21 * MIN + 5000,
        },
        {
          id: '3',
          learnerId: 'bo',
          exerciseId: 'a/pid1',
          status: 'fail',
          checks: [shell, stops],
          startedAt: 22 * MIN,
          finishedAt: 22 * MIN + 5000,
        },
      ],
    }),
  );
  assert.deepEqual(
    dashboard.mistakeClasses['a/pid1'].map(({ mistakeId, attempts, learners, current }) => ({
      mistakeId,
      attempts,
      learners,
      current,
    })),
    [
      { mistakeId: 'shell-form', attempts: 2, learners: 2, current: 2 },
      { mistakeId: 'no-handler', attempts: 1, learners: 1, current: 0 },
    ],
  );
  assert.equal('mistakes' in dashboard.exercises[0], false, "the page gets the counts, not the exercise's spec");
});
