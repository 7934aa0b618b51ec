// The room's predictions against what its runs showed, as the dashboard and the export count them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PredictionOutcome } from '../checks/predictions';
import { buildDashboard } from './dashboard';
import { learnerPredictionsText, tallyPredictions } from './prediction-tally';

const QUESTION = {
  id: 'still-running',
  question: 'Will the container still be running after 3 s?',
  choices: [
    { id: 'yes', text: 'yes, it keeps running' },
    { id: 'no', text: 'no, it exits' },
  ],
};
const outcome = (predicted: 'yes' | 'no' | undefined, observed: 'yes' | 'no'): PredictionOutcome[] => [
  {
    id: QUESTION.id,
    question: QUESTION.question,
    ...(predicted ? { predicted: QUESTION.choices.find((choice) => choice.id === predicted)! } : {}),
    observed: QUESTION.choices.find((choice) => choice.id === observed)!,
    saw: 'the container had already exited',
  },
];
const attempt = (learnerId: string, status: string, predictions?: PredictionOutcome[]) => ({
  learnerId,
  exerciseId: 'a/bg',
  status,
  predictions,
});

test('each learner counts once, by their first finished attempt that answered', () => {
  const [tally] = tallyPredictions('a/bg', [QUESTION], new Set(['ada', 'bo', 'cy', 'dee']), [
    attempt('ada', 'running', outcome('no', 'no')),
    attempt('ada', 'fail', outcome('yes', 'no')),
    attempt('ada', 'pass', outcome('no', 'yes')),
    attempt('bo', 'fail', outcome(undefined, 'no')),
    attempt('bo', 'fail', outcome('yes', 'no')),
    attempt('cy', 'pass', outcome('no', 'no')),
    attempt('dee', 'fail'),
    attempt('stranger', 'fail', outcome('no', 'no')),
  ]);
  assert.equal(tally.answered, 3);
  assert.equal(tally.right, 1);
  assert.deepEqual(
    tally.choices.map((choice) => [choice.id, choice.predicted, choice.observed]),
    [
      ['yes', 2, 0],
      ['no', 1, 3],
    ],
  );
  assert.equal(
    tally.summary,
    '2 of 3 expected “yes, it keeps running”; the lab saw “no, it exits” in 3 of their runs (1 right)',
  );
});

test('a question nobody answered says so', () => {
  const [tally] = tallyPredictions('a/bg', [QUESTION], new Set(['ada']), [
    attempt('ada', 'fail', outcome(undefined, 'no')),
  ]);
  assert.equal(tally.answered, 0);
  assert.equal(tally.summary, 'no predictions yet');
});

test('the dashboard carries the tally of each exercise with questions', () => {
  const dashboard = buildDashboard({
    exercises: [
      { id: 'a/bg', title: 'Background', predictions: [QUESTION] },
      { id: 'a/other', title: 'Other' },
    ],
    members: [{ learnerId: 'ada', displayName: 'Ada', joinedAt: 0 }],
    attempts: [{ id: 'r1', startedAt: 1, finishedAt: 2, ...attempt('ada', 'fail', outcome('yes', 'no')) }],
    drafts: [],
    running: new Set(),
    now: 10,
    idleMs: Infinity,
    repeatedFailures: 3,
  });
  assert.deepEqual(Object.keys(dashboard.predictions), ['a/bg']);
  assert.equal(dashboard.predictions['a/bg'][0].answered, 1);
  assert.deepEqual(dashboard.exercises[0], { id: 'a/bg', title: 'Background', passing: 0, working: 0, failing: 1 });
});

test("the export's words for one learner", () => {
  assert.equal(
    learnerPredictionsText([attempt('ada', 'fail', outcome('yes', 'no')), attempt('ada', 'pass', outcome('no', 'no'))]),
    'still-running: expected yes, it keeps running, saw no, it exits (wrong)',
  );
  assert.equal(learnerPredictionsText([attempt('ada', 'fail')]), '');
});
