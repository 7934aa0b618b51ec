// Random requests for the fuzz test of the proxy, from a seed that replays them: keys spelled as the
// engine's decoder still reads them, harmless twins of some keys, forbidden and allowed values; and what
// is forbidden in a request the engine was sent, read as the engine reads it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUN_LIMITS } from '../sandbox/limits';
import { foldKey, isJsonObject, parseEngineJson, type JsonValue } from './engine-json';
import type { TappedRequest } from './red-team-support';

/** The seed of this run's requests: LAB_FUZZ_SEED replays a run. */
export const SEED = Number(process.env.LAB_FUZZ_SEED) || Date.now() % 1_000_000;
/** The learner whose proxy is fuzzed. */
export const OWNER = `test-fuzz-${process.pid}`;
/** This test file's folder: the sockets, and a host path the forbidden values name. */
export const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-fuzz-'));

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
/** This run's numbers, in [0, 1). */
export const rand = random(SEED);

/** One of `items`, at random. */
export const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];

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
export function scramble(value: unknown): string {
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

/** A value of the same type that allows nothing. */
const innocent = (value: unknown) =>
  typeof value === 'boolean' ? false : typeof value === 'number' ? 0 : typeof value === 'string' ? '' : null;

/** Forbidden HostConfig values, one of which each create carries (beside allowed ones). */
export const FORBIDDEN_HOST: Record<string, unknown>[] = [
  { Privileged: true },
  { Binds: [`${dir}:/host`] },
  { PidMode: 'host' },
  { NetworkMode: 'host' },
  { IpcMode: 'host' },
  { UTSMode: 'host' },
  { UsernsMode: 'host' },
  { CapAdd: ['SYS_ADMIN'] },
  { SecurityOpt: ['seccomp=unconfined'] },
  { CgroupParent: '/' },
  { Runtime: 'runsc' },
  { Devices: [{ PathOnHost: '/dev/mem', PathInContainer: '/dev/mem', CgroupPermissions: 'rwm' }] },
  { Sysctls: { 'kernel.msgmax': '1' } },
  { LogConfig: { Type: 'syslog', Config: { 'syslog-address': 'tcp://127.0.0.1:9' } } },
  { Mounts: [{ Type: 'bind', Source: dir, Target: '/host' }] },
  { OomKillDisable: true },
  { Memory: 8 * 2 ** 30, MemorySwap: -1 },
  { PidsLimit: -1 },
  { MaskedPaths: [] },
  { Cgroup: 'host' },
  { CpuQuota: 400_000, CpuPeriod: 100_000 },
];
/** Allowed HostConfig values that the creates carry beside the forbidden one. */
export const ALLOWED_HOST: Record<string, unknown>[] = [
  { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } },
  { AutoRemove: false },
  { Init: true },
  { ShmSize: 2 ** 20 },
  { Memory: 32 * 2 ** 20 },
];
/** Forbidden values at the top level of a create. */
export const FORBIDDEN_TOP: Record<string, unknown>[] = [
  { Volumes: { '/v': {} } },
  { Labels: { 'lab.owner': 'someone-else' } },
  { Image: 'debian:bookworm-slim' },
  { Privileged: true },
  { Binds: [`${dir}:/host`] },
];

/** The body as the engine decodes it: keys folded, the later of two winning (Go's encoding/json). */
function engineReading(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(engineReading);
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of value.entries) out[foldKey(key)] = engineReading(item);
  return out;
}

/** What is forbidden in a body the engine was sent, as the engine reads it. */
export function violations(request: TappedRequest): string[] {
  const found: string[] = [];
  if (request.method === 'POST' && /\/build\?/.test(request.path)) {
    const query = new URL(request.path, 'http://engine').searchParams;
    if (query.get('networkmode') !== 'none') found.push(`build network ${query.get('networkmode')}`);
    if (!/^\/lab-build-/.test(query.get('cgroupparent') ?? '')) found.push(`build cgroup ${query.get('cgroupparent')}`);
    for (const key of ['extrahosts', 'remote', 'cachefrom', 'squash', 'isolation', 'platform'])
      if (query.get(key)) found.push(`build ${key}`);
    if (Number(query.get('memory')) !== 512 * 2 ** 20) found.push(`build memory ${query.get('memory')}`);
    if (/lab\./i.test(query.get('labels') ?? '')) found.push('build labels');
    return found;
  }
  if (!request.body.length || request.method !== 'POST') return found;
  const body = engineReading(parseEngineJson(request.body.toString('utf8'))) as Record<string, unknown>;
  if (/\/containers\/create/.test(request.path)) {
    const host = (body.HOSTCONFIG ?? {}) as Record<string, unknown>;
    for (const key of ['PRIVILEGED', 'OOMKILLDISABLE']) if (host[key]) found.push(key);
    for (const key of [
      'BINDS',
      'MOUNTS',
      'CAPADD',
      'DEVICES',
      'SYSCTLS',
      'MASKEDPATHS',
      'READONLYPATHS',
      'DEVICEREQUESTS',
      'TMPFS',
      'LINKS',
      'VOLUMESFROM',
    ]) {
      if (
        host[key] !== undefined &&
        host[key] !== null &&
        (typeof host[key] !== 'object' || Object.keys(host[key] as object).length)
      )
        found.push(key);
    }
    for (const key of ['PIDMODE', 'IPCMODE', 'UTSMODE', 'USERNSMODE', 'CGROUP', 'RUNTIME'])
      if (host[key]) found.push(`${key} ${host[key]}`);
    if (host.NETWORKMODE !== 'none') found.push(`network ${host.NETWORKMODE}`);
    if (JSON.stringify(host.SECURITYOPT) !== '["no-new-privileges"]')
      found.push(`security ${JSON.stringify(host.SECURITYOPT)}`);
    if (JSON.stringify(host.CAPDROP) !== '["ALL"]') found.push('capabilities');
    if ((host.LOGCONFIG as { TYPE?: string } | undefined)?.TYPE !== 'json-file') found.push('log driver');
    if (host.CGROUPPARENT && !String(host.CGROUPPARENT).startsWith('/lab-learner-'))
      found.push(`cgroup parent ${host.CGROUPPARENT}`);
    if (!(Number(host.MEMORY) > 0 && Number(host.MEMORY) <= RUN_LIMITS.memoryBytes))
      found.push(`memory ${host.MEMORY}`);
    if (!(Number(host.PIDSLIMIT) > 0 && Number(host.PIDSLIMIT) <= RUN_LIMITS.pids))
      found.push(`pids ${host.PIDSLIMIT}`);
    if (body.VOLUMES && Object.keys(body.VOLUMES as object).length) found.push('volumes');
    const labels = (body.LABELS ?? {}) as Record<string, string>;
    if (labels['LAB.OWNER'] !== OWNER) found.push(`owner label ${labels['LAB.OWNER']}`);
    if (!/^(lab\/|learner-)/.test(String(body.IMAGE))) found.push(`image ${body.IMAGE}`);
    for (const key of Object.keys(body))
      if (
        ![
          'IMAGE',
          'LABELS',
          'HOSTCONFIG',
          'NETWORKINGCONFIG',
          'CMD',
          'ENV',
          'TTY',
          'OPENSTDIN',
          'STDINONCE',
          'ATTACHSTDIN',
          'ATTACHSTDOUT',
          'ATTACHSTDERR',
          'NETWORKDISABLED',
          'HEALTHCHECK',
          'ENTRYPOINT',
          'WORKINGDIR',
          'USER',
          'HOSTNAME',
        ].includes(key)
      )
        found.push(`top-level ${key}`);
  } else if (/\/exec$/.test(request.path.split('?')[0])) {
    if (body.PRIVILEGED) found.push('privileged exec');
  } else if (/\/update$/.test(request.path.split('?')[0])) {
    for (const key of ['CGROUPPARENT', 'DEVICES', 'KERNELMEMORY', 'OOMKILLDISABLE'])
      if (body[key]) found.push(`update ${key}`);
    if (body.MEMORY !== undefined && !(Number(body.MEMORY) > 0 && Number(body.MEMORY) <= RUN_LIMITS.memoryBytes))
      found.push(`update memory ${body.MEMORY}`);
    if (body.PIDSLIMIT !== undefined && !(Number(body.PIDSLIMIT) > 0 && Number(body.PIDSLIMIT) <= RUN_LIMITS.pids))
      found.push(`update pids ${body.PIDSLIMIT}`);
  }
  return found;
}
