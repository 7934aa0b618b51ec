// A property of the proxy, tried on random requests: whatever a learner sends (every field of the
// create, exec, update and build requests, with keys in random case, duplicated, or Unicode-folded as
// the engine's decoder folds them), the engine never receives a forbidden value. The proxy talks to the
// real engine through a tap that records each request; each recorded body is read as the engine reads
// it (later keys win, case folded), and every container is inspected on the engine itself.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { RUN_LIMITS } from '../sandbox/limits';
import { tarOf } from './build-context-fixtures';
import { startDockerProxy, type DockerProxy } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { foldKey, isJsonObject, parseEngineJson, type JsonValue } from './engine-json';
import { engineView, hostReach, rawRequest, startTap, type TappedRequest } from './red-team-support';
import { scopeOf } from './scope';

const SEED = Number(process.env.LAB_FUZZ_SEED) || Date.now() % 1_000_000;
const OWNER = `test-fuzz-${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-fuzz-'));
let tap: Awaited<ReturnType<typeof startTap>>;
let proxy: DockerProxy;
let docker: Docker;

/** A small deterministic generator, so that a failure can be replayed with LAB_FUZZ_SEED. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}
const rand = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];

/** A spelling of `key` the engine's decoder reads as `key`. */
function spell(key: string): string {
  return [...key]
    .map((char) => {
      const roll = rand();
      if (/s/i.test(char) && roll < 0.15) return '\u017f';
      if (/k/i.test(char) && roll < 0.15) return '\u212a';
      return roll < 0.5 ? char.toLowerCase() : char.toUpperCase();
    })
    .join('');
}

/** JSON text of an object whose keys are spelled at random, with a harmless twin of some keys. */
function scramble(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(scramble).join(',')}]`;
  if (!value || typeof value !== 'object') return JSON.stringify(value);
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    // Map keys (labels, sysctls) are not struct fields: the engine takes them as they are.
    const isMapKey = key.includes('.') || key.startsWith('/');
    const spelled = isMapKey ? key : rand() < 0.7 ? spell(key) : key;
    const entry = `${JSON.stringify(spelled)}:${scramble(item)}`;
    const twin = `${JSON.stringify(isMapKey ? key : spell(key))}:${typeof item === 'object' && item !== null && !Array.isArray(item) ? '{}' : JSON.stringify(innocent(item))}`;
    const roll = rand();
    if (roll < 0.04) parts.push(twin, entry);
    else if (roll < 0.08) parts.push(entry, twin);
    else parts.push(entry);
  }
  return `{${parts.join(',')}}`;
}

const innocent = (value: unknown) => (typeof value === 'boolean' ? false : typeof value === 'number' ? 0 : typeof value === 'string' ? '' : null);

/** Forbidden HostConfig values, one of which each create carries (beside allowed ones). */
const FORBIDDEN_HOST: Record<string, unknown>[] = [
  { Privileged: true }, { Binds: [`${dir}:/host`] }, { PidMode: 'host' }, { NetworkMode: 'host' }, { IpcMode: 'host' }, { UTSMode: 'host' },
  { UsernsMode: 'host' }, { CapAdd: ['SYS_ADMIN'] }, { SecurityOpt: ['seccomp=unconfined'] }, { CgroupParent: '/' }, { Runtime: 'runsc' },
  { Devices: [{ PathOnHost: '/dev/mem', PathInContainer: '/dev/mem', CgroupPermissions: 'rwm' }] }, { Sysctls: { 'kernel.msgmax': '1' } },
  { LogConfig: { Type: 'syslog', Config: { 'syslog-address': 'tcp://127.0.0.1:9' } } }, { Mounts: [{ Type: 'bind', Source: dir, Target: '/host' }] },
  { OomKillDisable: true }, { Memory: 8 * 2 ** 30, MemorySwap: -1 }, { PidsLimit: -1 }, { MaskedPaths: [] }, { Cgroup: 'host' }, { CpuQuota: 400_000, CpuPeriod: 100_000 },
];
const ALLOWED_HOST: Record<string, unknown>[] = [{ RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } }, { AutoRemove: false }, { Init: true }, { ShmSize: 2 ** 20 }, { Memory: 32 * 2 ** 20 }];
const FORBIDDEN_TOP: Record<string, unknown>[] = [{ Volumes: { '/v': {} } }, { Labels: { 'lab.owner': 'someone-else' } }, { Image: 'debian:bookworm-slim' }, { Privileged: true }, { Binds: [`${dir}:/host`] }];

/** The body as the engine decodes it: keys folded, the later of two winning (Go's encoding/json). */
function engineReading(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(engineReading);
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of value.entries) out[foldKey(key)] = engineReading(item);
  return out;
}

/** What is forbidden in a body the engine was sent, as the engine reads it. */
function violations(request: TappedRequest): string[] {
  const found: string[] = [];
  if (request.method === 'POST' && /\/build\?/.test(request.path)) {
    const query = new URL(request.path, 'http://engine').searchParams;
    if (query.get('networkmode') !== 'none') found.push(`build network ${query.get('networkmode')}`);
    if (!/^\/lab-build-/.test(query.get('cgroupparent') ?? '')) found.push(`build cgroup ${query.get('cgroupparent')}`);
    for (const key of ['extrahosts', 'remote', 'cachefrom', 'squash', 'isolation', 'platform']) if (query.get(key)) found.push(`build ${key}`);
    if (Number(query.get('memory')) !== 512 * 2 ** 20) found.push(`build memory ${query.get('memory')}`);
    if (/lab\./i.test(query.get('labels') ?? '')) found.push('build labels');
    return found;
  }
  if (!request.body.length || request.method !== 'POST') return found;
  const body = engineReading(parseEngineJson(request.body.toString('utf8'))) as Record<string, unknown>;
  if (/\/containers\/create/.test(request.path)) {
    const host = (body.HOSTCONFIG ?? {}) as Record<string, unknown>;
    for (const key of ['PRIVILEGED', 'OOMKILLDISABLE']) if (host[key]) found.push(key);
    for (const key of ['BINDS', 'MOUNTS', 'CAPADD', 'DEVICES', 'SYSCTLS', 'MASKEDPATHS', 'READONLYPATHS', 'DEVICEREQUESTS', 'TMPFS', 'LINKS', 'VOLUMESFROM']) {
      if (host[key] !== undefined && host[key] !== null && (typeof host[key] !== 'object' || Object.keys(host[key] as object).length)) found.push(key);
    }
    for (const key of ['PIDMODE', 'IPCMODE', 'UTSMODE', 'USERNSMODE', 'CGROUP', 'RUNTIME']) if (host[key]) found.push(`${key} ${host[key]}`);
    if (host.NETWORKMODE !== 'none') found.push(`network ${host.NETWORKMODE}`);
    if (JSON.stringify(host.SECURITYOPT) !== '["no-new-privileges"]') found.push(`security ${JSON.stringify(host.SECURITYOPT)}`);
    if (JSON.stringify(host.CAPDROP) !== '["ALL"]') found.push('capabilities');
    if ((host.LOGCONFIG as { TYPE?: string } | undefined)?.TYPE !== 'json-file') found.push('log driver');
    if (host.CGROUPPARENT && !String(host.CGROUPPARENT).startsWith('/lab-learner-')) found.push(`cgroup parent ${host.CGROUPPARENT}`);
    if (!(Number(host.MEMORY) > 0 && Number(host.MEMORY) <= RUN_LIMITS.memoryBytes)) found.push(`memory ${host.MEMORY}`);
    if (!(Number(host.PIDSLIMIT) > 0 && Number(host.PIDSLIMIT) <= RUN_LIMITS.pids)) found.push(`pids ${host.PIDSLIMIT}`);
    if (body.VOLUMES && Object.keys(body.VOLUMES as object).length) found.push('volumes');
    const labels = (body.LABELS ?? {}) as Record<string, string>;
    if (labels['LAB.OWNER'] !== OWNER) found.push(`owner label ${labels['LAB.OWNER']}`);
    if (!/^(lab\/|learner-)/.test(String(body.IMAGE))) found.push(`image ${body.IMAGE}`);
    for (const key of Object.keys(body)) if (!['IMAGE', 'LABELS', 'HOSTCONFIG', 'NETWORKINGCONFIG', 'CMD', 'ENV', 'TTY', 'OPENSTDIN', 'STDINONCE', 'ATTACHSTDIN', 'ATTACHSTDOUT', 'ATTACHSTDERR', 'NETWORKDISABLED', 'HEALTHCHECK', 'ENTRYPOINT', 'WORKINGDIR', 'USER', 'HOSTNAME'].includes(key)) found.push(`top-level ${key}`);
  } else if (/\/exec$/.test(request.path.split('?')[0])) {
    if (body.PRIVILEGED) found.push('privileged exec');
  } else if (/\/update$/.test(request.path.split('?')[0])) {
    for (const key of ['CGROUPPARENT', 'DEVICES', 'KERNELMEMORY', 'OOMKILLDISABLE']) if (body[key]) found.push(`update ${key}`);
    if (body.MEMORY !== undefined && !(Number(body.MEMORY) > 0 && Number(body.MEMORY) <= RUN_LIMITS.memoryBytes)) found.push(`update memory ${body.MEMORY}`);
    if (body.PIDSLIMIT !== undefined && !(Number(body.PIDSLIMIT) > 0 && Number(body.PIDSLIMIT) <= RUN_LIMITS.pids)) found.push(`update pids ${body.PIDSLIMIT}`);
  }
  return found;
}

before(async () => {
  tap = await startTap(path.join(dir, 'engine.sock'));
  docker = new Docker({ socketPath: path.join(dir, 'engine.sock') });
  proxy = await startDockerProxy({ owner: OWNER, socketPath: path.join(dir, 'learner.sock'), docker, quotas: { containers: 8, images: 8, imageBytes: 512 * 2 ** 20, concurrentBuilds: 1, buildContextBytes: 2 ** 20 } });
});

after(async () => {
  await proxy.close();
  await removeTerminalResources(OWNER, new Docker());
  await tap.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test(`no spelling of any field gets a forbidden value to the engine (seed ${SEED})`, async (t) => {
  const say = (text: string) => `${text} (seed ${SEED}; replay with LAB_FUZZ_SEED=${SEED})`;
  const sock = proxy.socketPath;
  const target = JSON.parse((await rawRequest(sock, 'POST', '/v1.41/containers/create?name=fuzz-target', JSON.stringify({ Image: 'lab/node', Cmd: ['sleep', '600'] }))).text) as { Id: string };
  assert.ok(target.Id, 'a container to exec into and update');
  await rawRequest(sock, 'POST', '/v1.41/containers/fuzz-target/start');
  const statuses = new Map<number, number>();
  for (let round = 0; round < 160; round += 1) {
    const kind = pick(['create', 'create', 'create', 'exec', 'update'] as const);
    let answer;
    if (kind === 'create') {
      // Most creates carry a forbidden value; some only allowed ones, which must go through sandboxed.
      const host = Object.assign({}, pick(ALLOWED_HOST), rand() < 0.7 ? pick(FORBIDDEN_HOST) : {}, rand() < 0.3 ? pick(ALLOWED_HOST) : {});
      const body = { Image: 'lab/node', Cmd: ['true'], HostConfig: host, ...(rand() < 0.3 ? pick(FORBIDDEN_TOP) : {}) };
      answer = await rawRequest(sock, 'POST', '/v1.41/containers/create', scramble(body));
    } else if (kind === 'exec') {
      answer = await rawRequest(sock, 'POST', '/v1.41/containers/fuzz-target/exec', scramble({ Cmd: ['id'], AttachStdout: true, Privileged: true }));
    } else {
      answer = await rawRequest(sock, 'POST', '/v1.41/containers/fuzz-target/update', scramble(pick(FORBIDDEN_HOST.filter((host) => !('Binds' in host || 'Mounts' in host)))));
    }
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (answer.status === 201 && kind === 'create') await rawRequest(sock, 'DELETE', `/v1.41/containers/${(JSON.parse(answer.text) as { Id: string }).Id}?force=1`);
  }
  for (const [query, refused] of [
    ['t=fuzz&networkmode=host', true], ['t=fuzz&NetworkMode=host&cgroupparent=/&memory=99999999999', false], ['t=fuzz&extrahosts=h:127.0.0.1', true],
    ['t=fuzz&labels=%7B%22lab.owner%22%3A%22x%22%7D', true], ['t=fuzz&Labels=%7B%22lab.owner%22%3A%22x%22%7D&CacheFrom=%5B%22x%22%5D', false], ['t=fuzz&remote=http://127.0.0.1/', true],
  ] as const) {
    const context = await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nCMD ["true"]\n' }]);
    const answer = await rawRequest(sock, 'POST', `/v1.41/build?${query}`, context, { 'content-type': 'application/x-tar' });
    if (refused) assert.ok(answer.status >= 400, say(`${query}: ${answer.status}`));
    else assert.match(answer.text, /Successfully tagged fuzz:latest/, say(`${query}: ${answer.text.slice(0, 300)}`));
  }
  const seen = tap.requests.flatMap((request) => violations(request).map((problem) => `${request.method} ${request.path}: ${problem}`));
  assert.deepEqual(seen, [], say('the engine received a forbidden value'));
  for (const info of await engineView(new Docker(), OWNER)) assert.deepEqual(hostReach(info), [], say(`${info.Name} reaches the host`));
  assert.ok(tap.requests.some((request) => /\/containers\/create/.test(request.path)), 'some creates were allowed through, with the sandbox applied');
  assert.ok((statuses.get(400) ?? 0) > 0 && (statuses.get(403) ?? 0) > 0, `refusals of both kinds: ${JSON.stringify([...statuses])}`);
  assert.equal(scopeOf(OWNER).owner, OWNER);
  t.diagnostic(`answers ${JSON.stringify(Object.fromEntries(statuses))}; the engine was sent ${tap.requests.length} requests, ${tap.requests.filter((r) => /containers\/create/.test(r.path)).length} of them creates`);
});
