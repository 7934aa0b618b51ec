// Runs of the same files use the image the first built, on the real engine: the second run does not
// build, shows the first build's output and says so; runs started together make one build; a changed
// file builds again; an image the cache's trim removed is built again; and the run's identity is on its
// containers, not on a per-run image.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { dockerfileRunning, inlineExercise } from './inline-exercise';
import { runExercise } from './run-exercise';
import { assertNothingLeft, engine, eventsOf, OWNER } from './run-exercise-fixtures';

after(assertNothingLeft);

// A nonce per test process: the first run of these files here is a real build.
const nonce = `${process.pid}-${Date.now()}`;
const exerciseWith = (extra: string) =>
  inlineExercise(
    {
      scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait-for-exit', timeoutMs: 10000 }] }],
      checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [3] } }],
    },
    [dockerfileRunning(['sh', '-c', 'exit 3'], `ENV NONCE=${nonce}${extra}\n`)],
  );

async function run(extra = '') {
  const exercise = exerciseWith(extra);
  const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
  assert.equal(outcome.status, 'pass');
  const events = outcome.timeline.events();
  return {
    end: eventsOf(events, 'build-end')[0],
    output: eventsOf(events, 'build-output').map((event) => event.text),
    created: eventsOf(events, 'container-create')[0],
  };
}

describe('image reuse', () => {
  test('the same files run the image their first build made, with its output', async () => {
    const first = await run();
    assert.equal(first.end.reused, undefined);
    assert.ok(
      first.output.some((line) => line.includes(`ENV NONCE=${nonce}`)),
      'the first build shows its steps',
    );
    const second = await run();
    assert.equal(second.end.reused, true);
    assert.equal(second.end.imageId, first.end.imageId);
    assert.deepEqual(second.output.slice(0, -1), first.output, "the first build's output, as it was");
    assert.match(second.output.at(-1)!, /the same files as a build at .* used again/);
    // The run is named on its container; no image was made for it.
    const container = await engine.docker
      .getContainer(second.created.containerId)
      .inspect()
      .catch(() => null);
    assert.equal(container, null, 'the container is removed after its run');
    const image = await engine.docker.getImage(first.end.imageId!).inspect();
    assert.equal(image.Config.Labels['lab.run'], undefined, 'the image names no run');
    assert.equal(image.Config.Labels['lab.kind'], 'run');
  });

  test('runs of the same files started together make one build, the others wait for it and use its image', async () => {
    const all = await Promise.all([1, 2, 3, 4].map(() => run('\nENV TOGETHER=1')));
    const built = all.filter((one) => !one.end.reused);
    assert.equal(built.length, 1, 'one build');
    for (const one of all) assert.equal(one.end.imageId, built[0].end.imageId);
  });

  test('a changed file builds again', async () => {
    const first = await run();
    const changed = await run('\nENV CHANGED=1');
    assert.equal(changed.end.reused, undefined);
    assert.notEqual(changed.end.imageId, first.end.imageId);
  });

  test('an image removed since (the cache trim) is built again', async () => {
    const first = await run('\nENV REMOVED=1');
    await engine.docker.getImage(first.end.imageId!).remove({ noprune: true });
    const again = await run('\nENV REMOVED=1');
    assert.equal(again.end.reused, undefined);
    assert.ok(again.end.imageId);
  });
});
