// What the tests of the Docker API proxy share: four learners on one engine (Alice and Bob as any learner,
// Carol with small quotas, Dave with low limits on the sum of his containers), each with a proxy on a
// socket of their own; the real docker CLI pointed at one; an app to build; and the check, after the
// tests, that nothing of theirs is left.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { RunSlots } from '../capacity/run-slots';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { OWNER_LABEL } from '../sandbox/labels';
import { learnerCgroupExists } from '../sandbox/learner-cgroup';
import { startDockerProxy, type DockerProxy, type DockerProxyOptions } from './docker-proxy';
import { removeTerminalResources } from './terminal-resources';
import { scopeOf } from './scope';
import { DockerEngine } from '../sandbox/docker-engine';
import { TerminalWatches } from './terminal-watches';

/** The engine, straight: what the tests judge by. */
export const docker = dockerFromEnv();
/** This test file's folder: the sockets, the app and what the tests build. */
export const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-proxy-test-'));
/** A learner. */
export const ALICE = `test-proxy-alice-${process.pid}`;
/** Another learner, on the same engine. */
export const BOB = `test-proxy-bob-${process.pid}`;
/** A learner with small quotas. */
export const CAROL = `test-proxy-carol-${process.pid}`;
/** A learner with low limits on the sum of his containers. */
export const DAVE = `test-proxy-dave-${process.pid}`;
/** The learners' proxies, by owner. */
export const proxies = new Map<string, DockerProxy>();
/** Dave's limits on the sum of his containers: below what two containers may each have. */
export const DAVE_MEMORY_MB = 200;
/** Dave's limit on the processes of all his containers together. */
export const DAVE_PIDS = 40;

/** What the docker CLI did. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The docker CLI pointed at a learner's proxy (or, with owner null, straight at the engine). Always
 * asynchronous: the proxies run in this process and must keep answering while the CLI waits.
 */
export function cli(
  owner: string | null,
  args: string[],
  options: { cwd?: string; input?: string } = {},
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CLI_HINTS: 'false' };
  if (owner) env.DOCKER_HOST = `unix://${proxies.get(owner)!.socketPath}`;
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env, cwd: options.cwd ?? context, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The CLI's output, once it has succeeded. */
export async function ok(pending: Promise<CliResult>): Promise<string> {
  const result = await pending;
  assert.equal(result.status, 0, `docker failed: ${result.stderr}`);
  return result.stdout;
}

/** The IDs of the learner's containers on the engine, sorted. */
export async function engineContainers(owner: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${OWNER_LABEL}=${owner}`] } });
  return list.map((info) => info.Id).sort();
}

/** The app the seed commands build: a server that logs a line and runs until SIGTERM. */
export const context = path.join(dir, 'app');

/**
 * Starts the proxies of `owners` before the test file's tests (Alice's and Bob's builds wait for `slots`,
 * a pool of four unless given), then runs `setUp` if given, in the same hook: node runs a file's
 * top-level before hooks side by side. After the tests, checks that nothing of the owners is left.
 */
export function proxiesFor(owners: string[], options: { slots?: RunSlots; setUp?: () => Promise<void> } = {}): void {
  const slots = options.slots ?? new RunSlots(4, { maxWaiting: 100 });
  before(async () => {
    fs.mkdirSync(context);
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      'FROM lab/node\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n',
    );
    fs.writeFileSync(
      path.join(context, 'server.js'),
      "console.log('my-api listening');\nsetInterval(() => {}, 1000);\nprocess.on('SIGTERM', () => process.exit(0));\n",
    );
    for (const owner of owners) proxies.set(owner, await startDockerProxy(proxyOptions(owner, slots)));
    await options.setUp?.();
  });

  after(async () => {
    for (const proxy of proxies.values()) await proxy.close();
    for (const owner of owners) {
      await removeTerminalResources(owner, docker);
      assert.deepEqual(await engineContainers(owner), [], `containers of ${owner} left behind`);
      assert.equal(learnerCgroupExists(scopeOf(owner).key), false, `the cgroup of ${owner} is removed`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** Where the proxies' terminal containers are watched (their disk limit with it), as the server's are. */
const watches = new TerminalWatches(new DockerEngine());

/** A learner's proxy: Carol's with small quotas, Dave's with low limits on his sum, others' with the slots. */
function proxyOptions(owner: string, slots: RunSlots): DockerProxyOptions {
  if (owner === CAROL) {
    return {
      owner: CAROL,
      socketPath: path.join(dir, 'carol.sock'),
      watches,
      quotas: { containers: 2, images: 1, imageBytes: 150_000, concurrentBuilds: 1, buildContextBytes: 1024 * 1024 },
    };
  }
  if (owner === DAVE) {
    return {
      owner: DAVE,
      socketPath: path.join(dir, 'dave.sock'),
      watches,
      learnerLimits: { memoryBytes: DAVE_MEMORY_MB * 1024 * 1024, pids: DAVE_PIDS, cpus: 1, cpuPeriod: 100_000 },
    };
  }
  return { owner, socketPath: path.join(dir, `${owner.slice(-12)}.sock`), slots, watches };
}
