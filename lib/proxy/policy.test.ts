// The proxy's policy as data in, decision out: which calls are allowed, what a create or a build
// becomes. The same rules are exercised through the real docker CLI in docker-proxy.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RUN_LIMITS } from '../sandbox/limits';
import { applyBuildPolicy, applyCreatePolicy, routeOf, splitVersion } from './policy';

describe('routeOf', () => {
  test('classifies the calls of the allowed commands', () => {
    assert.deepEqual(splitVersion('/v1.41/containers/json'), { prefix: '/v1.41', path: '/containers/json' });
    assert.equal(routeOf('GET', '/containers/json').kind, 'container-list');
    assert.deepEqual(routeOf('POST', '/containers/my-api/exec'), { kind: 'container', ref: 'my-api', action: 'exec', method: 'POST' });
    assert.deepEqual(routeOf('DELETE', '/containers/abc'), { kind: 'container', ref: 'abc', action: '', method: 'DELETE' });
    assert.deepEqual(routeOf('GET', '/images/lab/node/json'), { kind: 'image', ref: 'lab/node', action: 'json', method: 'GET' });
    assert.deepEqual(routeOf('DELETE', '/images/my-api:1.4.0'), { kind: 'image', ref: 'my-api:1.4.0', action: '', method: 'DELETE' });
    assert.deepEqual(routeOf('POST', '/exec/0123/start'), { kind: 'exec', ref: '0123', action: 'start' });
    assert.equal(routeOf('POST', '/images/create').kind, 'pull');
  });

  test('refuses everything else, and answers "not found" to inspect lookups of other kinds', () => {
    for (const [method, path] of [['POST', '/containers/x/update'], ['GET', '/containers/x/export'], ['PUT', '/containers/x/archive'], ['POST', '/commit'], ['POST', '/images/load'], ['POST', '/volumes/create'], ['POST', '/containers/prune'], ['GET', '/system/df'], ['POST', '/swarm/init']]) {
      assert.equal(routeOf(method, path).kind, 'refused', `${method} ${path}`);
    }
    assert.deepEqual(routeOf('GET', '/networks/my-api'), { kind: 'not-found', message: 'No such network: my-api' });
  });
});

describe('applyCreatePolicy', () => {
  const labels = { 'lab.owner': 'alice' };

  test('sets the sandbox limits whatever is asked, keeps lower ones, and owns the lab labels', () => {
    const result = applyCreatePolicy(
      { Image: 'x', Labels: { 'lab.owner': 'mallory', mine: '1' }, HostConfig: { Memory: 8 * 2 ** 30, PidsLimit: 16, NetworkMode: 'bridge', NanoCpus: 4e9 } },
      labels,
    );
    assert.ok('body' in result);
    const host = result.body.HostConfig!;
    assert.equal(host.NetworkMode, 'none');
    assert.equal(host.Memory, RUN_LIMITS.memoryBytes);
    assert.equal(host.PidsLimit, 16);
    assert.equal(host.NanoCpus, 0.5e9);
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges']);
    assert.deepEqual(result.body.Labels, { mine: '1', 'lab.owner': 'alice' });
  });

  test('refuses host-reaching options', () => {
    for (const host of [{ Privileged: true }, { PidMode: 'host' }, { NetworkMode: 'host' }, { NetworkMode: 'container:abc' }, { Binds: ['/:/host'] }, { CapAdd: ['NET_ADMIN'] }, { Devices: [{ PathOnHost: '/dev/kmsg' }] }, { SecurityOpt: ['apparmor=unconfined'] }, { Runtime: 'runsc' }, { Sysctls: { a: '1' } }, { UsernsMode: 'host' }, { CgroupParent: '/' }]) {
      const result = applyCreatePolicy({ Image: 'x', HostConfig: host }, labels);
      assert.ok('refusal' in result, JSON.stringify(host));
      assert.equal(result.refusal.status, 403);
    }
  });

  test('lets through what the CLI sends by default', () => {
    const result = applyCreatePolicy({ Image: 'x', HostConfig: { Binds: null, CapAdd: null, Devices: [], PidMode: '', IpcMode: '', Runtime: '', Privileged: false, NetworkMode: 'default' } }, labels);
    assert.ok('body' in result);
  });
});

describe('applyBuildPolicy', () => {
  test('forces network none and drops what the lab sets itself', () => {
    const result = applyBuildPolicy(new URLSearchParams({ t: 'my-api', cgroupparent: '/', memory: '99999999999', labels: '{"lab.owner":"x","a":"b"}' }));
    assert.ok('query' in result);
    assert.equal(result.query.get('networkmode'), 'none');
    assert.equal(result.query.get('cgroupparent'), null);
    assert.equal(result.query.get('memory'), null);
    assert.equal(result.query.get('labels'), '{"a":"b"}');
  });

  test('refuses BuildKit, remote contexts and host networking', () => {
    for (const query of ['version=2', 'remote=https://example.com/repo.git', 'networkmode=host']) {
      assert.ok('refusal' in applyBuildPolicy(new URLSearchParams(query)), JSON.stringify(query));
    }
  });
});

describe('fields outside the allowlist', () => {
  test('are refused with a value and dropped when empty', () => {
    const refused = applyCreatePolicy({ Image: 'x', HostConfig: { MaskedPaths: ['/proc/acpi'] } }, {});
    assert.ok('refusal' in refused);
    assert.match(refused.refusal.message, /systempaths=unconfined is not allowed/);
    // An empty list would unmask every /proc path.
    assert.ok('refusal' in applyCreatePolicy({ Image: 'x', HostConfig: { MaskedPaths: [], ReadonlyPaths: [] } }, {}));
    assert.ok('refusal' in applyCreatePolicy({ Image: 'x', HostConfig: { KernelMemoryTCP: 0, Annotations: { a: 'b' } } }, {}));
    const dropped = applyCreatePolicy({ Image: 'x', HostConfig: { MaskedPaths: null, Annotations: null, OomScoreAdj: -1000, ShmSize: 2 ** 34 } }, {});
    assert.ok('body' in dropped);
    assert.equal('Annotations' in dropped.body.HostConfig!, false);
    assert.equal(dropped.body.HostConfig!.OomScoreAdj, 0);
    assert.equal(dropped.body.HostConfig!.ShmSize, 64 * 1024 * 1024);
  });
});
