// What a learner runs from the terminal is observed like a Run: containers made through the proxy
// appear in the learner's timeline under their own names, with process trees, output, exits (code,
// OOM) and restarts; other learners' containers and the workstation do not.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { TimelineEvent } from '../observe/timeline-event';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { waitFor } from '../testing/wait-for';
import { startDockerProxy, type DockerProxy } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { engineContainerName, scopeOf, STAGED_LABEL, terminalLabels } from './scope';
import { DockerEngine } from '../sandbox/docker-engine';
import { TerminalWatches } from './terminal-watches';

const docker = dockerFromEnv();
/** The registry the server would hand the workstations' proxies. */
const watches = new TerminalWatches(new DockerEngine(docker));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-watch-test-'));
const OWNER = `test-watch-${process.pid}`;
const OTHER = `test-watch-other-${process.pid}`;
let proxy: DockerProxy;
let other: DockerProxy;

function docker_(socket: string, args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, { env: { ...process.env, DOCKER_HOST: `unix://${socket}` } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

/** The first event that matches, once the timeline has it; past the deadline, the error lists what it saw. */
function eventOf(
  events: () => TimelineEvent[],
  predicate: (event: TimelineEvent) => boolean,
  ms = 20_000,
): Promise<TimelineEvent> {
  return waitFor(() => events().find(predicate), { timeoutMs: ms, what: 'such an event' }).catch((error: Error) => {
    throw new Error(
      `${error.message}; saw ${events()
        .map((e) => `${e.scenario}:${e.type}`)
        .join(', ')}`,
      { cause: error },
    );
  });
}

before(async () => {
  proxy = await startDockerProxy({ owner: OWNER, socketPath: path.join(dir, 'a.sock'), watches });
  other = await startDockerProxy({ owner: OTHER, socketPath: path.join(dir, 'b.sock'), watches });
});

after(async () => {
  await watches.end(OWNER);
  await proxy.close();
  await other.close();
  await removeTerminalResources(OWNER, docker);
  await removeTerminalResources(OTHER, docker);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a terminal container's life appears in the learner's timeline under its own name", async () => {
  const watch = await watches.for(OWNER);
  const events = () => watch.timeline.events();
  const run = await docker_(proxy.socketPath, [
    'run',
    '-d',
    '--name',
    'my-api',
    'lab/node',
    'sh',
    '-c',
    'echo up; sleep 1; exit 3',
  ]);
  assert.equal(run.status, 0);
  await docker_(other.socketPath, ['run', '-d', '--name', 'theirs', 'lab/node', 'true']);
  // A container the lab staged for the learner to investigate stays out of the panels.
  const scope = scopeOf(OWNER);
  const staged = await docker.createContainer({
    name: engineContainerName(scope, 'staged'),
    Image: 'lab/node',
    Cmd: ['true'],
    Labels: { ...terminalLabels(scope), [STAGED_LABEL]: '1' },
    HostConfig: { NetworkMode: 'none' },
  });
  await staged.start();
  await eventOf(events, (e) => e.type === 'scenario-start' && e.scenario === 'my-api');
  const snapshot = await eventOf(
    events,
    (e) => e.type === 'snapshot' && e.scenario === 'my-api' && e.processes.length > 0,
  );
  assert.ok(
    snapshot.type === 'snapshot' && snapshot.processes.some((p) => p.pid === 1 && /sh -c echo up/.test(p.command)),
    'PID 1 is the shell',
  );
  await eventOf(events, (e) => e.type === 'output' && e.scenario === 'my-api' && e.text === 'up');
  const die = await eventOf(events, (e) => e.type === 'container-die' && e.scenario === 'my-api');
  assert.ok(die.type === 'container-die' && die.exitCode === 3 && !die.oomKilled);
  assert.ok(!events().some((e) => e.scenario === 'theirs'), "another learner's container is not in this timeline");
  assert.ok(!events().some((e) => e.scenario === 'staged'), 'a staged incident is not in this timeline');
});

test('restarts and OOM kills are recorded', async () => {
  const watch = await watches.for(OWNER);
  const events = () => watch.timeline.events();
  await docker_(proxy.socketPath, [
    'run',
    '-d',
    '--name',
    'flaky',
    '--restart=on-failure:2',
    'lab/node',
    'sh',
    '-c',
    'exit 1',
  ]);
  await eventOf(events, (e) => e.type === 'container-restart' && e.scenario === 'flaky');
  await docker_(proxy.socketPath, [
    'run',
    '-d',
    '--name',
    'hungry',
    '-m',
    '32m',
    'lab/node',
    'node',
    '-e',
    'const a=[]; for(;;) a.push(Buffer.alloc(1<<20,1))',
  ]);
  const oom = await eventOf(events, (e) => e.type === 'container-die' && e.scenario === 'hungry');
  // The timeline says what the engine says: under heavy load the engine has been seen to report a
  // memory kill (137) without its OOMKilled flag, so the flag is compared with docker inspect.
  const state = (await docker.getContainer(engineContainerName(scopeOf(OWNER), 'hungry')).inspect()).State;
  assert.ok(
    oom.type === 'container-die' && oom.exitCode === 137 && oom.oomKilled === state.OOMKilled,
    JSON.stringify(oom),
  );
  await docker_(proxy.socketPath, ['rm', '-f', 'hungry']);
  await eventOf(events, (e) => e.type === 'scenario-end' && e.scenario === 'hungry');
});

test('a terminal container that fills its disk is stopped, and the timeline says so before the exit', async () => {
  const watch = await watches.for(OWNER);
  const events = () => watch.timeline.events();
  const fill = 'for i in 1 2 3 4 5 6; do head -c 60000000 /dev/zero > /tmp/fill-$i; done; sleep 300';
  assert.equal(
    (await docker_(proxy.socketPath, ['run', '-d', '--name', 'filler', 'lab/node', 'sh', '-c', fill])).status,
    0,
  );
  const disk = await eventOf(events, (e) => e.type === 'disk-limit' && e.scenario === 'filler');
  assert.ok(disk.type === 'disk-limit' && disk.bytes > disk.limitBytes);
  const die = await eventOf(events, (e) => e.type === 'container-die' && e.scenario === 'filler');
  assert.ok(die.type === 'container-die' && die.exitCode === 137 && die.seq > disk.seq);
  await docker_(proxy.socketPath, ['rm', '-f', 'filler']);
});
