// The base image lab images are built FROM (debian:bookworm-slim): pulled, or made offline with debootstrap.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspectImage, progressReader, request } from './docker-api.mjs';
import { SetupError, canInstallDebianPackages, hasCommand, log, run } from './setup-common.mjs';

const BASE_IMAGE = { repo: 'debian', tag: 'bookworm-slim' };

async function tryPullBase() {
  const ref = `${BASE_IMAGE.repo}:${BASE_IMAGE.tag}`;
  log(`pulling ${ref}`);
  try {
    const reader = progressReader();
    const res = await request('POST', `/images/create?fromImage=${BASE_IMAGE.repo}&tag=${BASE_IMAGE.tag}`, {
      timeoutMs: 120_000,
      onData: (chunk) => reader.push(chunk),
    });
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
    if (!canInstallDebianPackages())
      throw new SetupError(`${ref} is missing, no registry answers and debootstrap is not installed`);
    log('installing debootstrap');
    run('apt-get', ['install', '-y', '-q', 'debootstrap'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
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
