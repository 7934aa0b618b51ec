// What the red team's request tests share: Mallory and the victim, each with a proxy on a socket of their
// own, a canary file on the host that an escaped container would read or write, and the checks that
// nothing Mallory has reaches the host.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { DockerEngine, dockerFromEnv } from '../sandbox/docker-engine';
import { startDockerProxy, type DockerProxy } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { engineView, hostReach } from './red-team-support';
import { TerminalWatches } from './terminal-watches';

/** The engine, straight: what the tests judge by. */
export const docker = dockerFromEnv();
/** This test file's folder: the sockets and the canary. */
export const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-red-team-'));
/** The attacker. */
export const MALLORY = `test-red-mallory-${process.pid}`;
/** Another learner on the same engine. */
export const VICTIM = `test-red-victim-${process.pid}`;
const proxies = new Map<string, DockerProxy>();
/** What the learners start is watched from its start, as the server's proxies do: the disk limit is applied there. */
const watches = new TerminalWatches(new DockerEngine(docker));
/** The socket of a learner's proxy. */
export const sock = (owner: string) => proxies.get(owner)!.socketPath;
/** A file on the host an escaped container would read or write. */
export const canary = path.join(dir, 'canary');

/** A request body as JSON. */
export const json = (value: unknown) => JSON.stringify(value);
/** Container options that would each reach the host, all in one. */
export const HOST_REACHING = {
  Binds: [`${dir}:/host`],
  Privileged: true,
  PidMode: 'host',
  NetworkMode: 'host',
  CapAdd: ['ALL'],
  SecurityOpt: ['apparmor=unconfined'],
};

/**
 * Starts Mallory's and the victim's proxies before the test file's tests, then runs `setUp` if given (in
 * the same hook: node runs a file's top-level before hooks side by side); after the tests, removes what
 * they made and checks that the host file was never written.
 */
export function redTeamProxies(setUp?: () => Promise<void>): void {
  before(async () => {
    fs.writeFileSync(canary, 'untouched\n');
    for (const owner of [MALLORY, VICTIM]) {
      proxies.set(
        owner,
        await startDockerProxy({
          owner,
          socketPath: path.join(dir, `${owner.slice(9, 13)}.sock`),
          quotas: {
            containers: 8,
            images: 8,
            imageBytes: 512 * 2 ** 20,
            concurrentBuilds: 1,
            buildContextBytes: 2 ** 20,
          },
          watches,
        }),
      );
    }
    await setUp?.();
  });

  after(async () => {
    for (const proxy of proxies.values()) await proxy.close();
    for (const owner of [MALLORY, VICTIM]) await removeTerminalResources(owner, docker);
    assert.equal(fs.readFileSync(canary, 'utf8'), 'untouched\n', 'the host file was never written');
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** Asserts that nothing Mallory has on the engine reaches the host. */
export async function assertSandboxed(): Promise<void> {
  for (const info of await engineView(docker, MALLORY))
    assert.deepEqual(hostReach(info), [], `${info.Name} reaches the host`);
}

/** Every spelling of a key that Go's decoder takes for it. */
export function spellings(key: string): string[] {
  return [
    key.toLowerCase(),
    key.toUpperCase(),
    key.replace(/s/g, '\u017f'),
    key.replace(/k/gi, '\u212a'),
    [...key].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join(''),
  ].filter((s) => s !== key);
}
