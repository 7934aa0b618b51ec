// Per-learner rate limits from the settings: past the limit a 429 that names it and says when to try
// again; other learners and the other kind of action are not affected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryLaterError } from '../http/http-error';

import { loadConfig } from '../config';
import { LearnerRateLimits } from './learner-limits';

const limits = new LearnerRateLimits(loadConfig({ LAB_RUNS_PER_MINUTE: '3', LAB_WRITES_PER_MINUTE: '5' }));
const limitLearner = limits.take.bind(limits);

test('a learner may start LAB_RUNS_PER_MINUTE runs a minute, then waits; others may still start theirs', async () => {
  for (let i = 0; i < 3; i++) await limitLearner('run', 'ann');
  await assert.rejects(
    () => limitLearner('run', 'ann'),
    (error: unknown) => {
      assert.ok(error instanceof RetryLaterError);
      assert.equal(error.status, 429);
      assert.match(error.message, /^too many runs: at most 3 a minute per learner: try again in \d+ s$/);
      assert.ok(error.retryAfterSeconds >= 1 && error.retryAfterSeconds <= 60);
      return true;
    },
  );
  await limitLearner('run', 'bob');
  for (let i = 0; i < 5; i++) await limitLearner('write', 'ann');
  await assert.rejects(() => limitLearner('write', 'ann'), /too many changes saved: at most 5 a minute per learner/);
});
