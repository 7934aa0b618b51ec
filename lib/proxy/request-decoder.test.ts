// Bodies are read as the engine reads them: keys folded the way Go's encoding/json folds them, and
// whatever the engine would read differently from the proxy refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { foldKey, JsonSyntaxError, parseEngineJson, toPlain } from './engine-json';
import { RequestRefusal, decodeBody } from './request-decoder';
import { decodeCreate, decodeExecCreate, decodeUpdate } from './request-models';
import { CREATE_REQUEST } from './request-struct-specs';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');

function refusalOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestRefusal) return error.refusal.message;
    throw error;
  }
  assert.fail('expected a refusal');
}

describe('parseEngineJson', () => {
  test('keeps every key of an object in order, duplicates included', () => {
    const value = parseEngineJson('{"a": 1, "A": 2, "a": {"b": [true, null, "x\\u0041"]}}');
    assert.deepEqual(value, {
      entries: [
        ['a', 1],
        ['A', 2],
        ['a', { entries: [['b', [true, null, 'xA']]] }],
      ],
    });
  });

  test('reads what JSON.parse reads, and refuses what it refuses', () => {
    for (const text of ['0', '-1.5e3', '"\\ud83d\\ude00"', '[]', '{}', ' {"k" : [1,2,{"x":false}]} ']) {
      assert.deepEqual(toPlain(parseEngineJson(text)), JSON.parse(text), text);
    }
    for (const text of ['', '{', '{"a"}', '{"a":1,}', '[1,]', '01', '"\u0001"', 'tru', '{"a":1} x', "{'a':1}", 'NaN']) {
      assert.throws(() => parseEngineJson(text), JsonSyntaxError, text);
    }
  });

  test("refuses nesting deeper than the engine's bodies need", () => {
    assert.throws(() => parseEngineJson('['.repeat(100) + ']'.repeat(100)));
  });
});

describe('foldKey', () => {
  test('folds ASCII case and the two non-ASCII letters Go folds to ASCII', () => {
    assert.equal(foldKey('HostConfig'), foldKey('hostconfig'));
    assert.equal(foldKey('HOSTCONFIG'), foldKey('hostConfig'));
    assert.equal(foldKey('Ho\u017ftConfig'), foldKey('HostConfig'), 'long s');
    assert.equal(foldKey('\u212aernelMemory'), foldKey('KernelMemory'), 'Kelvin sign');
    assert.notEqual(foldKey('Host\u0130'), foldKey('HostI'), 'a dotted capital I is not an I');
    assert.notEqual(foldKey('Host_Config'), foldKey('HostConfig'));
  });
});

describe('decodeBody', () => {
  test("reads keys under the engine's spelling whatever their case", () => {
    const decoded = decodeBody(
      body({ image: 'lab/node', hostconfig: { MEMORY: 1, restartpolicy: { name: 'always' } } }),
      CREATE_REQUEST,
    );
    assert.deepEqual(decoded, { Image: 'lab/node', HostConfig: { Memory: 1, RestartPolicy: { Name: 'always' } } });
  });

  test('refuses two keys that name the same field, at every level and in every spelling', () => {
    for (const text of [
      '{"HostConfig": {}, "hostconfig": {"Privileged": true}}',
      '{"HostConfig": {}, "HOSTCONFIG": {"Binds": ["/:/host"]}}',
      '{"HostConfig": {}, "Ho\u017ftConfig": {"Binds": ["/:/host"]}}',
      '{"HostConfig": {"Privileged": false, "privileged": true}}',
      '{"Image": "lab/node", "image": "learner-x/app"}',
      '{"HostConfig": {"RestartPolicy": {"Name": "no", "NAME": "always"}}}',
      '{"Labels": {}, "labels": {"lab.owner": "someone-else"}}',
    ]) {
      assert.match(
        refusalOf(() => decodeBody(body(text), CREATE_REQUEST)),
        /given twice/,
        text,
      );
    }
  });

  test('refuses a key it does not know, including HostConfig fields at the top level (an old API layout)', () => {
    assert.match(
      refusalOf(() => decodeBody(body({ Image: 'x', Privileged: true }), CREATE_REQUEST)),
      /does not know: "Privileged"/,
    );
    assert.match(
      refusalOf(() => decodeBody(body({ Image: 'x', Binds: ['/:/h'] }), CREATE_REQUEST)),
      /does not know/,
    );
    assert.match(
      refusalOf(() => decodeBody(body({ HostConfig: { Privilegd: true } }), CREATE_REQUEST)),
      /HostConfig has a field/,
    );
    assert.match(
      refusalOf(() => decodeBody(body({ 'Image\u0000': 'x' }), CREATE_REQUEST)),
      /does not know/,
    );
  });

  test('refuses a map with the same key twice (the engine keeps the last)', () => {
    assert.match(
      refusalOf(() => decodeBody(body('{"Labels": {"a": "1", "a": "2"}}'), CREATE_REQUEST)),
      /twice/,
    );
  });

  test('refuses bodies that are not one JSON object', () => {
    for (const text of ['[]', '"x"', '{"Image": "x"} {"Image": "y"}', '{"Image": }']) {
      assert.ok(
        refusalOf(() => decodeBody(body(text), CREATE_REQUEST)),
        text,
      );
    }
    assert.deepEqual(decodeBody(body(''), CREATE_REQUEST), {});
  });
});

describe('the models', () => {
  test('type every field as the engine decodes it', () => {
    assert.match(
      refusalOf(() => decodeCreate(body({ HostConfig: { Memory: '1g' } }))),
      /HostConfig\.Memory/,
    );
    assert.match(
      refusalOf(() => decodeCreate(body({ Tty: 'yes' }))),
      /Tty/,
    );
    assert.deepEqual(decodeCreate(body({ Cmd: 'node server.js', Entrypoint: null })).Cmd, 'node server.js');
    assert.equal(decodeExecCreate(body({ cmd: ['sh'], PRIVILEGED: true })).Privileged, true);
    assert.equal(decodeUpdate(body({ memory: 1024 })).Memory, 1024);
  });

  test("understand what today's docker CLIs send to create a container", () => {
    // The body of `docker run -d --name my-api my-api:1.4.0` from the docker 20.10 and 28 CLIs (API 1.41):
    // every HostConfig field without omitempty is sent with its zero value.
    const cli = {
      Hostname: '',
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: null,
      Cmd: null,
      Image: 'my-api:1.4.0',
      Volumes: null,
      WorkingDir: '',
      Entrypoint: null,
      OnBuild: null,
      Labels: {},
      HostConfig: {
        Binds: null,
        ContainerIDFile: '',
        LogConfig: { Type: '', Config: {} },
        NetworkMode: 'default',
        PortBindings: {},
        RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
        AutoRemove: false,
        VolumeDriver: '',
        VolumesFrom: null,
        ConsoleSize: [0, 0],
        CapAdd: null,
        CapDrop: null,
        CgroupnsMode: '',
        Dns: [],
        DnsOptions: [],
        DnsSearch: [],
        ExtraHosts: null,
        GroupAdd: null,
        IpcMode: '',
        Cgroup: '',
        Links: null,
        OomScoreAdj: 0,
        PidMode: '',
        Privileged: false,
        PublishAllPorts: false,
        ReadonlyRootfs: false,
        SecurityOpt: null,
        UTSMode: '',
        UsernsMode: '',
        ShmSize: 0,
        Isolation: '',
        CpuShares: 0,
        Memory: 0,
        NanoCpus: 0,
        CgroupParent: '',
        BlkioWeight: 0,
        BlkioWeightDevice: [],
        BlkioDeviceReadBps: [],
        BlkioDeviceWriteBps: [],
        BlkioDeviceReadIOps: [],
        BlkioDeviceWriteIOps: [],
        CpuPeriod: 0,
        CpuQuota: 0,
        CpuRealtimePeriod: 0,
        CpuRealtimeRuntime: 0,
        CpusetCpus: '',
        CpusetMems: '',
        Devices: [],
        DeviceCgroupRules: null,
        DeviceRequests: null,
        KernelMemory: 0,
        KernelMemoryTCP: 0,
        MemoryReservation: 0,
        MemorySwap: 0,
        MemorySwappiness: null,
        OomKillDisable: false,
        PidsLimit: null,
        Ulimits: null,
        CpuCount: 0,
        CpuPercent: 0,
        IOMaximumIOps: 0,
        IOMaximumBandwidth: 0,
        MaskedPaths: null,
        ReadonlyPaths: null,
      },
      NetworkingConfig: { EndpointsConfig: {} },
    };
    const model = decodeCreate(body(cli));
    assert.equal(model.Image, 'my-api:1.4.0');
    assert.equal(model.HostConfig?.NetworkMode, 'default');
  });
});
