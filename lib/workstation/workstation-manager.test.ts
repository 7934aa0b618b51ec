// Workstations against the real engine and the real Docker API proxy: one per learner, with the
// sandbox limits and the reaper's labels, a shell that answers within the ready target, the editor's
// files in /work, the docker CLI talking to the learner's proxy, and nothing left after idle or stop.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDockerProxy } from '../proxy/docker-proxy';
import { DockerWorkstationHost } from '../sandbox/docker-workstation-host';
import { RUN_LIMITS } from '../sandbox/limits';
import { labelledResources } from '../sandbox/reaper';
import type { Shell } from '../sandbox/workstation-host';
import { TerminalRefused } from '../terminal/terminal-sessions';
import { waitFor } from '../testing/wait-for';
import { WorkstationManager } from './workstation-manager';
import { DockerEngine } from '../sandbox/docker-engine';
import { TerminalWatches } from '../proxy/terminal-watches';

const host = new DockerWorkstationHost();
/** Where the workstations' proxies watch the learner's containers, as the server's do. */
const watches = new TerminalWatches(new DockerEngine());
const OWNER = `test-ws-${process.pid}`;
const managers: WorkstationManager[] = [];

function manager(idleMs = 600_000, maxWorkstations = 8, diskCheckMs?: number): WorkstationManager {
  const made = new WorkstationManager({
    host,
    startProxy: (options) => startDockerProxy({ ...options, watches }),
    idleMs,
    maxWorkstations,
    diskCheckMs,
  });
  managers.push(made);
  return made;
}

/** Collects a shell's output and waits for text in it. */
function screen(shell: Shell) {
  let text = '';
  shell.onData((chunk) => {
    text += chunk.toString('utf8');
  });
  return {
    text: () => text,
    /**
     * Resolves with the first match of `pattern`; past the deadline, the error shows the terminal. Looked
     * at every 10 ms: the test times the prompt with it.
     */
    waitFor: (pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> =>
      waitFor(() => text.match(pattern), { timeoutMs, what: `${pattern} in the terminal`, intervalMs: 10 }).catch(
        (error: Error) => {
          throw new Error(`${error.message}:\n${text}`, { cause: error });
        },
      ),
  };
}

/** Resolves when the engine reports the container destroyed. */
async function destroyEvent(containerId: string): Promise<void> {
  const events = (await host.docker.getEvents({
    filters: { container: [containerId], event: ['destroy'] },
  })) as unknown as NodeJS.ReadableStream & { destroy(): void };
  await new Promise<void>((resolve) => events.once('data', () => resolve()));
  events.destroy();
}

after(async () => {
  await Promise.all(managers.map((made) => made.stopAll()));
  assert.deepEqual(await labelledResources(host.docker, OWNER), { containers: [], images: [] });
});

describe('a workstation', { timeout: 120_000 }, () => {
  test("starts with the sandbox limits and the reaper's labels; its shell answers within the ready target", async (t) => {
    const workstations = manager();
    const began = Date.now();
    const shell = await workstations.openShell(OWNER, { cols: 100, rows: 30 });
    const output = screen(shell);
    await output.waitFor(/\$ $/m);
    const readyMs = Date.now() - began;
    t.diagnostic(`workstation ready (container, proxy, shell prompt) in ${readyMs} ms`);
    assert.ok(readyMs < 3_000, `ready in ${readyMs} ms`);

    shell.write(Buffer.from('echo mark-$((40+2)); id -un; pwd\r'));
    await output.waitFor(/mark-42\r\nlearner\r\n\/work\r\n/);

    const station = workstations.running(OWNER)!;
    const info = await host.docker.getContainer(station.containerId).inspect();
    assert.equal(info.HostConfig.NetworkMode, 'none');
    assert.equal((info.Config as { NetworkDisabled?: boolean }).NetworkDisabled, true);
    assert.equal(info.HostConfig.Memory, RUN_LIMITS.memoryBytes);
    assert.equal(info.HostConfig.PidsLimit, RUN_LIMITS.pids);
    assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual(info.HostConfig.SecurityOpt, ['no-new-privileges']);
    assert.equal(info.HostConfig.Privileged, false);
    assert.deepEqual(info.HostConfig.Binds, [`${station.socketPath}:/var/run/docker.sock`]);
    assert.equal(info.Config.Labels['lab.workstation'], '1');
    assert.equal(info.Config.Labels['lab.owner'], OWNER);
    assert.match(info.Config.Labels['lab.run'], /^terminal-/);
    assert.equal(
      (fs.statSync(station.socketPath.replace(/\/[^/]+$/, '')).mode & 0o777).toString(8),
      '700',
      'only the lab enters the socket directory',
    );

    // The same learner gets the same workstation.
    assert.equal((await workstations.ensure(OWNER)).containerId, station.containerId);

    // The editor's files land in /work, owned by the workstation's user.
    assert.equal(
      await workstations.putFiles(OWNER, [{ name: 'Dockerfile', content: 'FROM lab/node\nCMD ["node", "-v"]\n' }]),
      true,
    );
    shell.write(Buffer.from('stat -c "%U %n" Dockerfile; tail -1 Dockerfile\r'));
    await output.waitFor(/learner Dockerfile\r\nCMD \["node", "-v"\]/);

    // The docker CLI talks to this learner's proxy, not to the engine.
    shell.write(Buffer.from('docker ps -a\r'));
    await output.waitFor(/CONTAINER ID +IMAGE/);

    await workstations.stop(OWNER);
    await assert.rejects(host.docker.getContainer(station.containerId).inspect(), /no such container/i);
    assert.equal(fs.existsSync(station.socketPath), false, 'its socket is gone');
  });

  test('is removed after its idle timeout, taking its shell and socket with it', async () => {
    const workstations = manager(1_500);
    const owner = `${OWNER}-idle`;
    const stopped = new Promise<string>((resolve) =>
      workstations.onStopped((who, reason) => who === owner && resolve(reason)),
    );
    const shell = await workstations.openShell(owner, { cols: 80, rows: 24 });
    const exited = new Promise<number | null>((resolve) => shell.onExit(resolve));
    const station = workstations.running(owner)!;
    const destroyed = destroyEvent(station.containerId);
    assert.match(await stopped, /without use/);
    await exited;
    await destroyed;
    await assert.rejects(host.docker.getContainer(station.containerId).inspect(), /no such container/i);
    assert.equal(fs.existsSync(station.socketPath), false);
    assert.deepEqual(await labelledResources(host.docker, owner), { containers: [], images: [] });
  });

  test('is removed at its disk limit, and its learner is told why', async () => {
    const workstations = manager(600_000, 8, 300);
    const owner = `${OWNER}-disk`;
    const stopped = new Promise<string>((resolve) =>
      workstations.onStopped((who, reason) => who === owner && resolve(reason)),
    );
    const shell = await workstations.openShell(owner, { cols: 80, rows: 24 });
    const station = workstations.running(owner)!;
    const destroyed = destroyEvent(station.containerId);
    // Files under the 64 MiB file size limit, more than 256 MiB together.
    shell.write(Buffer.from('for i in 1 2 3 4 5 6; do head -c 60000000 /dev/zero > /tmp/fill-$i; done\r'));
    assert.match(await stopped, /removed at its disk limit: \d+ MiB written, more than the 256 MiB/);
    await destroyed;
    assert.equal(workstations.running(owner), undefined);
    assert.deepEqual(await labelledResources(host.docker, owner), { containers: [], images: [] });
  });

  test('activity keeps it: a touched workstation outlives the idle timeout', async () => {
    const workstations = manager(1_500);
    const owner = `${OWNER}-busy`;
    const first = await workstations.ensure(owner);
    const stopped = new Promise<void>((resolve) => workstations.onStopped((who) => who === owner && resolve()));
    // Touch it for three idle periods; it must still be the same container afterwards.
    const until = Date.now() + 4_500;
    while (Date.now() < until) {
      workstations.touch(owner);
      await sleep(250);
    }
    assert.equal(workstations.running(owner)?.containerId, first.containerId);
    await stopped;
    assert.equal(workstations.running(owner), undefined);
  });

  test('past the most workstations at once, a new learner is refused with a reason and nothing is started', async () => {
    const workstations = manager(600_000, 1);
    await workstations.ensure(`${OWNER}-first`);
    await assert.rejects(
      workstations.ensure(`${OWNER}-second`),
      (error: Error) => error instanceof TerminalRefused && /as many workstations/.test(error.message),
    );
    assert.deepEqual(await labelledResources(host.docker, `${OWNER}-second`), { containers: [], images: [] });
    await workstations.stopAll();
  });
});
