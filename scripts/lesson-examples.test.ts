// Runs against the real Docker engine: an example whose claims hold passes, one whose claims are
// wrong fails with what was expected and what was observed, and nothing is left behind.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseLessonExamples } from '../lib/lessons/lesson-examples';
import { DockerEngine } from '../lib/sandbox/docker-engine';
import { labelledResources } from '../lib/sandbox/reaper';
import { proveExample } from './lesson-examples';

const engine = new DockerEngine();
const OWNER = `test-lesson-examples-${process.pid}`;
const FENCE = '```';

after(async () => {
  const left = await labelledResources(engine.docker, OWNER);
  assert.deepEqual(left, { containers: [], images: [] }, 'every container and image of these tests is removed');
});

/** One example of a shell that runs `sleep 1` and exits 3, with the claims given. */
function example(claims: object) {
  const text = [
    `<!-- example: {"files": [], "cmd": ["sh", "-c", "sleep 1; exit 3"], "expect": ${JSON.stringify(claims)}} -->`,
    `${FENCE}sh`,
    'docker run my-image',
    FENCE,
  ].join('\n');
  const { examples, problems } = parseLessonExamples(text, { slug: 'test', exercises: [] });
  assert.deepEqual(problems, []);
  return examples[0];
}

test('an example whose claims hold passes, one whose claims are wrong fails with what was observed', async () => {
  const [right, wrong] = await Promise.all([
    proveExample(
      engine,
      example({ pid1: 'sh -c sleep 1; exit 3', children: ['sleep 1'], exitCode: 3, exitWithinMs: 5000 }),
      OWNER,
    ),
    proveExample(engine, example({ pid1: 'sleep 1', exitCode: 0 }), OWNER),
  ]);
  assert.deepEqual(right.problems, []);
  assert.equal(wrong.problems.length, 2, wrong.problems.join('\n'));
  assert.match(wrong.problems[0], /^PID 1 is sleep 1: expected .*; observed PID 1 is "sh -c sleep 1; exit 3"$/);
  assert.match(wrong.problems[1], /^it exits with 0: expected .*; observed exit codes: 3/);
});
