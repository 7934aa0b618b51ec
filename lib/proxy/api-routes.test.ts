// The proxy's classification of API calls: which are served, which are "not found", which refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { routeOf, splitVersion } from './api-routes';

describe('routeOf', () => {
  test('classifies the calls of the allowed commands', () => {
    assert.deepEqual(splitVersion('/v1.41/containers/json'), { prefix: '/v1.41', path: '/containers/json' });
    assert.equal(routeOf('GET', '/containers/json').kind, 'container-list');
    assert.deepEqual(routeOf('POST', '/containers/my-api/exec'), {
      kind: 'container',
      ref: 'my-api',
      action: 'exec',
      method: 'POST',
    });
    assert.deepEqual(routeOf('DELETE', '/containers/abc'), {
      kind: 'container',
      ref: 'abc',
      action: '',
      method: 'DELETE',
    });
    assert.deepEqual(routeOf('GET', '/images/lab/node/json'), {
      kind: 'image',
      ref: 'lab/node',
      action: 'json',
      method: 'GET',
    });
    assert.deepEqual(routeOf('DELETE', '/images/my-api:1.4.0'), {
      kind: 'image',
      ref: 'my-api:1.4.0',
      action: '',
      method: 'DELETE',
    });
    assert.deepEqual(routeOf('POST', '/exec/0123/start'), { kind: 'exec', ref: '0123', action: 'start' });
    assert.equal(routeOf('POST', '/images/create').kind, 'pull');
    assert.deepEqual(routeOf('POST', '/containers/my-api/update'), {
      kind: 'container',
      ref: 'my-api',
      action: 'update',
      method: 'POST',
    });
  });

  test('refuses everything else, and answers "not found" to inspect lookups of other kinds', () => {
    for (const [method, path] of [
      ['GET', '/containers/x/export'],
      ['PUT', '/containers/x/archive'],
      ['POST', '/commit'],
      ['POST', '/images/load'],
      ['POST', '/volumes/create'],
      ['POST', '/containers/prune'],
      ['GET', '/system/df'],
      ['POST', '/swarm/init'],
    ]) {
      assert.equal(routeOf(method, path).kind, 'refused', `${method} ${path}`);
    }
    assert.deepEqual(routeOf('GET', '/networks/my-api'), { kind: 'not-found', message: 'No such network: my-api' });
  });
});
