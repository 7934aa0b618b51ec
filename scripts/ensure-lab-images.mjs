// The lab images (lab-images/<name>/), built in order and again only when their folder changed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inspectImage, progressReader, request } from './docker-api.mjs';
import { hashFiles, listFiles } from './hash-files.mjs';
import { SetupError, log, root } from './setup-common.mjs';

/** On a lab image: the content hash of the folder it was built from. */
const HASH_LABEL = 'lab.image.hash';

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
