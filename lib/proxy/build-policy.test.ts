// What a terminal build may ask for: read into a model from the query, every choice checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModel } from './build-policy';

test('reads tags, build arguments, labels and target, and keeps nothing the lab sets itself', () => {
  const model = buildModel(
    new URLSearchParams({
      t: 'my-api:1.4.0',
      cgroupparent: '/',
      memory: '99999999999',
      labels: '{"a":"b"}',
      buildargs: '{"VERSION":"1"}',
      target: 'build',
      nocache: '1',
    }),
  );
  assert.ok(!('refusal' in model));
  assert.deepEqual(model.tags, ['my-api:1.4.0']);
  assert.deepEqual(model.options, {
    buildArgs: { VERSION: '1' },
    labels: { a: 'b' },
    target: 'build',
    noCache: true,
    quiet: false,
  });
});

test("refuses BuildKit, remote contexts, host networking, the lab's labels and names with a registry", () => {
  for (const query of [
    'version=2',
    'remote=https://example.com/repo.git',
    'networkmode=host',
    'extrahosts=x:1.2.3.4',
    'labels={"lab.owner":"x"}',
    'labels={"LAB.run":"x"}',
    't=localhost:5000/x',
    't=UPPER',
    'cachefrom=["learner-other/app"]',
    'platform=linux/arm64',
    'buildargs={"A":1}',
    'target=$(x)',
    'buildargs={"HTTP_PROXY":"http://x:3128"}',
    'buildargs={"no_proxy":"*"}',
  ]) {
    assert.ok('refusal' in buildModel(new URLSearchParams(query)), query);
  }
});
