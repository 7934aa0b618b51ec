// What a learner's create, exec and update become on the engine: built from the decoded model, the
// sandbox set whatever was asked, lower limits kept, host-reaching options refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RUN_LIMITS } from '../sandbox/limits';
import { containerCreateBody, updateBody } from './container-policy';
import { execCreateBody } from './exec-policy';
import { decodeCreate, decodeExecCreate, decodeUpdate } from './request-models';

const context = { image: 'learner-k/my-api:1.4.0', labels: { 'lab.owner': 'alice' }, cgroupParent: '/lab-learner-k' };
const create = (body: unknown) => containerCreateBody(decodeCreate(Buffer.from(JSON.stringify(body))), context);

describe('containerCreateBody', () => {
  test('sets the sandbox limits whatever is asked, keeps lower ones, and owns the image, labels and cgroup', () => {
    const result = create({
      Image: 'anything',
      Labels: { mine: '1' },
      HostConfig: { Memory: 8 * 2 ** 30, PidsLimit: 16, NetworkMode: 'bridge', NanoCpus: 4e9 },
    });
    assert.ok('body' in result);
    const host = result.body.HostConfig as Record<string, unknown>;
    assert.equal(result.body.Image, 'learner-k/my-api:1.4.0');
    assert.equal(host.NetworkMode, 'none');
    assert.equal(host.Memory, RUN_LIMITS.memoryBytes);
    assert.equal(host.MemorySwap, RUN_LIMITS.memoryBytes);
    assert.equal(host.PidsLimit, 16);
    assert.equal(host.NanoCpus, 0.5e9);
    assert.equal(host.CgroupParent, '/lab-learner-k');
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges']);
    assert.deepEqual(result.body.Labels, { mine: '1', 'lab.owner': 'alice' });
  });

  test('refuses host-reaching options', () => {
    for (const host of [
      { Privileged: true },
      { PidMode: 'host' },
      { NetworkMode: 'host' },
      { NetworkMode: 'container:abc' },
      { Binds: ['/:/host'] },
      { CapAdd: ['NET_ADMIN'] },
      { Devices: [{ PathOnHost: '/dev/kmsg' }] },
      { SecurityOpt: ['apparmor=unconfined'] },
      { Runtime: 'runsc' },
      { Sysctls: { a: '1' } },
      { UsernsMode: 'host' },
      { CgroupParent: '/' },
      { Cgroup: 'container:abc' },
      { Mounts: [{ Type: 'bind' }] },
      { LogConfig: { Type: 'syslog', Config: { 'syslog-address': 'tcp://127.0.0.1:1' } } },
      { LogConfig: { Type: '', Config: { 'max-size': '10g' } } },
      { Ulimits: [{ Name: 'nofile', Soft: 1e6, Hard: 1e6 }] },
      { Tmpfs: { '/x': '' } },
      { OomKillDisable: true },
      { MaskedPaths: [] },
    ]) {
      const result = create({ Image: 'x', HostConfig: host });
      assert.ok('refusal' in result, JSON.stringify(host));
      assert.equal(result.refusal.status, 403);
    }
    for (const body of [
      { Volumes: { '/data': {} } },
      { Labels: { 'lab.workstation': '1' } },
      { Labels: { 'LAB.OWNER': 'bob' } },
      { MacAddress: '02:42:ac:11:00:02' },
    ]) {
      assert.ok('refusal' in create({ Image: 'x', ...body }), JSON.stringify(body));
    }
  });

  test('lets through what the CLI sends by default', () => {
    const result = create({
      Image: 'x',
      HostConfig: {
        Binds: null,
        CapAdd: null,
        Devices: [],
        PidMode: '',
        IpcMode: '',
        Runtime: '',
        Privileged: false,
        NetworkMode: 'default',
        MaskedPaths: null,
        LogConfig: { Type: '', Config: {} },
      },
    });
    assert.ok('body' in result, JSON.stringify(result));
  });

  test('builds every field itself: nothing of the request is copied', () => {
    const result = create({
      Image: 'x',
      Cmd: ['node', 'server.js'],
      Env: ['A=1'],
      Tty: true,
      HostConfig: {
        OomScoreAdj: -1000,
        ShmSize: 2 ** 34,
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
        Init: true,
      },
    });
    assert.ok('body' in result);
    const host = result.body.HostConfig as Record<string, unknown>;
    assert.equal(host.OomScoreAdj, 0, 'a negative score would make the host kill others first');
    assert.equal(host.ShmSize, 64 * 1024 * 1024);
    assert.deepEqual(host.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
    assert.equal(host.Init, true);
    assert.deepEqual(result.body.Cmd, ['node', 'server.js']);
    assert.equal(result.body.NetworkDisabled, true);
  });

  test("raises a healthcheck's interval to the floor", () => {
    const result = create({
      Image: 'x',
      Healthcheck: { Test: ['CMD', 'true'], Interval: 1_000_000, StartInterval: 1 },
    });
    assert.ok('body' in result);
    const check = result.body.Healthcheck as { Interval: number; StartInterval: number };
    assert.equal(check.Interval, 2e9);
    assert.equal(check.StartInterval, 2e9);
  });

  test('refuses restart policies and names the engine would refuse anyway', () => {
    assert.ok('refusal' in create({ Image: 'x', HostConfig: { RestartPolicy: { Name: 'sometimes' } } }));
    assert.ok('refusal' in create({ Image: 'x', HostConfig: { CpusetCpus: '0;rm -rf' } }));
  });
});

describe('execCreateBody', () => {
  test('refuses a privileged exec in every spelling and builds the rest', () => {
    for (const key of ['Privileged', 'privileged', 'PRIVILEGED']) {
      assert.ok(
        'refusal' in execCreateBody(decodeExecCreate(Buffer.from(JSON.stringify({ Cmd: ['sh'], [key]: true })))),
        key,
      );
    }
    const result = execCreateBody(
      decodeExecCreate(Buffer.from(JSON.stringify({ cmd: ['ps', 'aux'], attachstdout: true }))),
    );
    assert.ok('body' in result);
    assert.deepEqual(result.body, {
      Cmd: ['ps', 'aux'],
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: false,
      Tty: false,
      Detach: false,
      Privileged: false,
    });
  });
});

describe('updateBody', () => {
  test('passes the restart policy and lower limits only', () => {
    const result = updateBody(
      decodeUpdate(Buffer.from(JSON.stringify({ RestartPolicy: { Name: 'always' }, Memory: 2 ** 40, PidsLimit: -1 }))),
    );
    assert.ok('body' in result);
    assert.deepEqual(result.body, {
      RestartPolicy: { Name: 'always', MaximumRetryCount: 0 },
      Memory: RUN_LIMITS.memoryBytes,
      MemorySwap: RUN_LIMITS.memoryBytes,
    });
    assert.ok('refusal' in updateBody(decodeUpdate(Buffer.from(JSON.stringify({ CgroupParent: '/' })))));
    assert.ok(
      'refusal' in updateBody(decodeUpdate(Buffer.from(JSON.stringify({ Devices: [{ PathOnHost: '/dev/sda' }] })))),
    );
  });
});
