// Sets up what the lab needs on this machine, skipping every step that is already done:
// npm dependencies, a Docker engine, the debian:bookworm-slim base image and the lab images.
// Used by `npm start` and `npm test`; `npm run setup` runs it alone.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrismaClient, migrate } from './database.mjs';
import { engineAddress, inspectImage, ping, progressReader, request } from './docker-api.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASE_IMAGE = { repo: 'debian', tag: 'bookworm-slim' };
const HASH_LABEL = 'lab.image.hash';

// Setup talks on stderr: stdout belongs to the command it runs before (`lab check --json` prints JSON there).
function log(message) {
  console.error(`[setup] ${message}`);
}

class SetupError extends Error {}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new SetupError(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${command} ${args.join(' ')} exited with code ${result.status}`);
}

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function listFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/**
 * npm dependencies: installed when node_modules is missing or package-lock.json changed since the last
 * install. `clean` installs with `npm ci`, which leaves the lock file as it is: the lab's image does,
 * on the lock's own platform, so that the start in the container finds the lock its stamp names.
 */
export function ensureNpmDependencies({ clean = false } = {}) {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.lab-install-stamp');
  const wanted = hashFiles([path.join(root, 'package.json'), ...(fs.existsSync(lock) ? [lock] : [])]);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  log('installing npm dependencies');
  // Otherwise `npm install` rather than `npm ci`: with a lock file it installs the locked versions, and
  // it accepts a lock made on another platform (ci refuses one missing other platforms' optional packages).
  run('npm', [clean ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root });
  fs.writeFileSync(stamp, hashFiles([path.join(root, 'package.json'), lock]));
}

function canInstallDebianPackages() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  if (!fs.existsSync('/etc/debian_version')) return false;
  return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

async function waitFor(check, timeoutMs, stepMs = 250) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return false;
}

/**
 * How the lab starts an engine of its own. `--userns-remap=default`: root in a container is an
 * unprivileged user on the host (dockerd makes the user `dockremap` and its subordinate ids), so a
 * hole in the Docker API proxy still could not read or write the host's files as root. Images of a
 * remapped engine live apart (/var/lib/docker/<uid>.<gid>/): the setup builds them once more.
 */
export const DOCKERD_ARGS = ['--userns-remap=default'];

/** A Docker engine: the one DOCKER_HOST or the default socket names, or Debian's docker.io started here. */
export async function ensureDockerEngine() {
  const address = engineAddress();
  if (await ping()) return;
  if (process.env.DOCKER_HOST) {
    // The lab's own image sets DOCKER_HOST to the socket of the host's engine, mounted.
    throw new SetupError(
      `no Docker engine answers at DOCKER_HOST=${address.label}. Start that engine, or unset DOCKER_HOST to use a local one ` +
        "(in the lab's image: mount the host's socket, -v /var/run/docker.sock:/var/run/docker.sock, as compose.yaml does).",
    );
  }
  if (!canInstallDebianPackages()) {
    throw new SetupError(
      'no Docker engine answers at /var/run/docker.sock. Install Docker Engine (https://docs.docker.com/engine/install/) ' +
        'and start it, or point DOCKER_HOST at a running engine, then run this command again.',
    );
  }
  if (!hasCommand('dockerd')) {
    log("installing Debian's docker.io (the Docker engine)");
    run('apt-get', ['update', '-q']);
    run('apt-get', ['install', '-y', '-q', 'docker.io'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (await ping()) return; // the package's service may have started it
  log('starting dockerd in the background, with user namespaces remapped (log: /var/log/lab-dockerd.log)');
  const out = fs.openSync('/var/log/lab-dockerd.log', 'a');
  const daemon = spawn('dockerd', DOCKERD_ARGS, { detached: true, stdio: ['ignore', out, out] });
  daemon.unref();
  if (!(await waitFor(ping, 60_000))) {
    throw new SetupError('dockerd was started but did not answer within 60 s; see /var/log/lab-dockerd.log');
  }
  log('Docker engine is up');
}

async function tryPullBase() {
  const ref = `${BASE_IMAGE.repo}:${BASE_IMAGE.tag}`;
  log(`pulling ${ref}`);
  try {
    const reader = progressReader();
    const res = await request(
      'POST',
      `/images/create?fromImage=${BASE_IMAGE.repo}&tag=${BASE_IMAGE.tag}`,
      { timeoutMs: 120_000, onData: (chunk) => reader.push(chunk) },
    );
    if (res.status === 200 && reader.errors.length === 0 && (await inspectImage(ref))) return true;
    log(`pull failed: ${reader.errors[0] ?? `HTTP ${res.status} ${res.body.slice(0, 200)}`}`);
  } catch (error) {
    log(`pull failed: ${error.message}`);
  }
  return false;
}

async function importBaseWithDebootstrap() {
  const ref = `${BASE_IMAGE.repo}:${BASE_IMAGE.tag}`;
  if (!hasCommand('debootstrap')) {
    if (!canInstallDebianPackages()) throw new SetupError(`${ref} is missing, no registry answers and debootstrap is not installed`);
    log('installing debootstrap');
    run('apt-get', ['install', '-y', '-q', 'debootstrap'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const rootfs = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-rootfs-'));
  try {
    log(`creating ${ref} offline with debootstrap (about a minute)`);
    run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const reader = progressReader();
    const res = await request('POST', `/images/create?fromSrc=-&repo=${BASE_IMAGE.repo}&tag=${BASE_IMAGE.tag}`, {
      body: tar.stdout,
      headers: { 'Content-Type': 'application/x-tar' },
      timeoutMs: 300_000,
      onData: (chunk) => reader.push(chunk),
    });
    if (res.status !== 200 || reader.errors.length) {
      throw new SetupError(`importing ${ref} failed: ${reader.errors[0] ?? res.body.slice(0, 300)}`);
    }
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
}

/** The base image lab images are built FROM: pulled where a registry answers, otherwise made offline. */
export async function ensureBaseImage() {
  const ref = `${BASE_IMAGE.repo}:${BASE_IMAGE.tag}`;
  if (await inspectImage(ref)) return;
  if (!(await tryPullBase())) await importBaseWithDebootstrap();
  if (!(await inspectImage(ref))) throw new SetupError(`${ref} is still missing after setup`);
  log(`${ref} is ready`);
}

/** lab-images/<name>/ in build order: an image that is FROM another lab image comes after it. */
export function labImageDirs() {
  const dir = path.join(root, 'lab-images');
  const names = fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, 'Dockerfile')));
  const parents = new Map(
    names.map((name) => {
      const text = fs.readFileSync(path.join(dir, name, 'Dockerfile'), 'utf8');
      const from = /^\s*FROM\s+lab\/([a-z0-9-]+)/im.exec(text);
      return [name, from ? from[1] : null];
    }),
  );
  const ordered = [];
  const visit = (name) => {
    if (ordered.includes(name)) return;
    const parent = parents.get(name);
    if (parent && parents.has(parent)) visit(parent);
    ordered.push(name);
  };
  names.sort().forEach(visit);
  return ordered.map((name) => ({ name, dir: path.join(dir, name), tag: `lab/${name}:latest` }));
}

async function buildLabImage({ name, dir, tag }, hash) {
  log(`building ${tag}`);
  const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const reader = progressReader((message) => {
    if (message.stream && process.env.LAB_SETUP_VERBOSE) process.stderr.write(`  ${message.stream}`);
  });
  const labels = encodeURIComponent(JSON.stringify({ [HASH_LABEL]: hash, 'lab.image': name }));
  const res = await request('POST', `/build?t=${encodeURIComponent(tag)}&rm=1&forcerm=1&labels=${labels}`, {
    body: tar.stdout,
    headers: { 'Content-Type': 'application/x-tar' },
    timeoutMs: 900_000,
    onData: (chunk) => reader.push(chunk),
  });
  if (res.status !== 200 || reader.errors.length) {
    throw new SetupError(`building ${tag} failed: ${reader.errors.join('\n') || res.body.slice(0, 500)}`);
  }
}

/** Each lab image, built when missing or when its folder changed (content hash kept in a label). */
export async function ensureLabImages() {
  let parentChanged = new Set();
  for (const image of labImageDirs()) {
    const hash = hashFiles(listFiles(image.dir));
    const existing = await inspectImage(image.tag);
    const upToDate = existing?.Config?.Labels?.[HASH_LABEL] === hash;
    const text = fs.readFileSync(path.join(image.dir, 'Dockerfile'), 'utf8');
    const fromChanged = [...parentChanged].some((parent) => text.includes(`lab/${parent}`));
    if (upToDate && !fromChanged) continue;
    await buildLabImage(image, hash);
    parentChanged.add(image.name);
    log(`${image.tag} is ready`);
  }
}

/** Debian's chromium, for the end-to-end tests (Playwright cannot download its own browser here). */
export function ensureChromium() {
  const binary = process.env.LAB_CHROMIUM ?? '/usr/bin/chromium';
  if (fs.existsSync(binary)) return binary;
  if (!canInstallDebianPackages()) {
    throw new SetupError(`the end-to-end tests need Chromium at ${binary}: install it (Debian: apt-get install chromium) or set LAB_CHROMIUM`);
  }
  log("installing Debian's chromium for the end-to-end tests");
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return binary;
}

/**
 * A PostgreSQL server for the tests that prove the lab on PostgreSQL too: Debian's, installed and
 * started where missing, with a role and database `lab_test`. Returns its DATABASE_URL.
 */
export async function ensureTestPostgres() {
  const url = 'postgresql://lab_test:lab_test@127.0.0.1:5432/lab_test';
  const { default: pg } = await import('pg');
  const answers = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  };
  if (await answers()) return url;
  if (!canInstallDebianPackages()) throw new SetupError(`the PostgreSQL tests need a server at ${url}`);
  if (!fs.existsSync('/usr/lib/postgresql')) {
    log("installing Debian's postgresql for the tests");
    run('apt-get', ['update', '-q']);
    run('apt-get', ['install', '-y', '-q', 'postgresql'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const version = fs.readdirSync('/usr/lib/postgresql').sort().at(-1);
  log(`starting PostgreSQL ${version} in the background`);
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  const sql = (statement) => spawnSync('su', ['postgres', '-c', `psql -v ON_ERROR_STOP=0 -q -c "${statement}"`], { stdio: 'ignore' });
  sql("CREATE ROLE lab_test LOGIN PASSWORD 'lab_test'");
  sql('CREATE DATABASE lab_test OWNER lab_test');
  if (!(await waitFor(answers, 30_000, 500))) throw new SetupError(`PostgreSQL did not answer at ${url}`);
  return url;
}

export async function setup({ npm = true, docker = true } = {}) {
  if (npm) ensureNpmDependencies();
  ensurePrismaClient();
  await migrate();
  if (!docker) return;
  await ensureDockerEngine();
  await ensureBaseImage();
  await ensureLabImages();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  setup().catch((error) => {
    console.error(`[setup] ${error instanceof SetupError ? error.message : error.stack}`);
    process.exit(1);
  });
}

export { SetupError };
