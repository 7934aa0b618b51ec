// What the red team's build tests share: Mallory and the victim, each with a proxy on a socket of their
// own (the victim with an image "app" of theirs), a canary listener on the host's loopback that counts
// what the engine fetched, build contexts made with tar-stream, and the check that an attempt built and
// reached nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import tar from 'tar-stream';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { OWNER_LABEL } from '../sandbox/labels';
import { startDockerProxy, type DockerProxy } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { rawRequest, startCanaryListener } from './red-team-support';
import { DockerEngine } from '../sandbox/docker-engine';
import { TerminalWatches } from './terminal-watches';

/** The engine, straight: what the tests judge by. */
export const docker = dockerFromEnv();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-red-builds-'));
/** The attacker. */
export const MALLORY = `test-redb-mallory-${process.pid}`;
/** Another learner on the same engine, with an image of theirs. */
export const VICTIM = `test-redb-victim-${process.pid}`;
const proxies = new Map<string, DockerProxy>();
/** The socket of a learner's proxy. */
export const sock = (owner: string) => proxies.get(owner)!.socketPath;
/** A listener on the host's loopback: every request the engine makes to it is a hit. */
export let canary: Awaited<ReturnType<typeof startCanaryListener>>;

/** An entry of a build context: a file unless `type` says otherwise. */
export interface Entry {
  name: string;
  content?: string;
  type?: 'file' | 'symlink' | 'link' | 'directory';
  linkname?: string;
}

/** A tar of the entries, written by tar-stream. */
export async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const entry of entries) {
    if (entry.type && entry.type !== 'file')
      pack.entry({ name: entry.name, type: entry.type, linkname: entry.linkname, mode: 0o644, size: 0 });
    else
      pack.entry(
        { name: entry.name, type: 'file', mode: 0o644, size: Buffer.byteLength(entry.content ?? '') },
        entry.content ?? '',
      );
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A build straight on the learner's socket; the answer's text (a 200 stream or an error). */
export function build(owner: string, context: Buffer, query = 't=probe'): ReturnType<typeof rawRequest> {
  return rawRequest(sock(owner), 'POST', `/v1.41/build?${query}`, context, { 'content-type': 'application/x-tar' });
}

/** The IDs of the images on the engine that carry the learner's label, sorted. */
export async function ownImageIds(owner: string): Promise<string[]> {
  return (await docker.listImages({ filters: { label: [`${OWNER_LABEL}=${owner}`] } })).map((info) => info.Id).sort();
}

/** Asserts that a build attempt built nothing and reached nothing. */
export async function assertRefused(
  answer: Awaited<ReturnType<typeof rawRequest>>,
  before: string[],
  what: string,
): Promise<void> {
  assert.ok(
    answer.status >= 400 || /"error"/.test(answer.text),
    `${what}: ${answer.status} ${answer.text.slice(0, 300)}`,
  );
  assert.deepEqual(await ownImageIds(MALLORY), before, `${what}: no image was built`);
  assert.deepEqual(canary.hits, [], `${what}: the engine fetched ${canary.hits.join(', ')}`);
}

/**
 * Starts the canary and both proxies, and builds the victim's image, before the test file's tests; after
 * them, removes what they made.
 */
/** Where the proxies' terminal containers are watched, as the server's are. */
const watches = new TerminalWatches(new DockerEngine());

export function redTeamBuildProxies(): void {
  before(async () => {
    canary = await startCanaryListener();
    for (const owner of [MALLORY, VICTIM]) {
      proxies.set(
        owner,
        await startDockerProxy({ owner, socketPath: path.join(dir, `${owner.slice(10, 14)}.sock`), watches }),
      );
    }
    const victim = await build(
      VICTIM,
      await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nRUN echo secret > /secret\n' }]),
      't=app',
    );
    assert.equal(victim.status, 200, victim.text);
    assert.match(victim.text, /Successfully tagged app:latest/);
  });

  after(async () => {
    await canary.close();
    for (const proxy of proxies.values()) await proxy.close();
    for (const owner of [MALLORY, VICTIM]) await removeTerminalResources(owner, docker);
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A Dockerfile that makes the engine fetch the canary's URL. */
export const EVIL = () => `FROM lab/node\nADD ${canary.url} /x\n`;
