// The container's changes read from its overlay directories, against `docker diff` of the same container
// on the real engine: every kind of change a program makes (a file added in an image folder, a folder
// tree added, a file changed, files and folders deleted, a link, a fifo, a folder's time touched), the
// same files, links and deletions, and the same rule for folders (see below). And a folder a container
// has made a link to the host is never read (on a temporary folder: the moment of a swap cannot be chosen).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { FileChange } from '../observe/timeline-event';
import { engine, labels, removeOwnResources, settings } from './docker-engine-fixtures';
import { runLimitsFor } from './limits';
import { overlayChanges, readDirectory } from './overlay-changes';

after(removeOwnResources);

async function containerRunning(script: string): Promise<string> {
  const id = await engine.create({
    labels: labels(),
    image: 'lab/node',
    command: ['sh', '-c', script],
    settings,
    limits: runLimitsFor(),
  });
  await engine.start(id);
  return id;
}

const EVERY_KIND = [
  'echo new > /tmp/new',
  'mkdir -p /srv/a/b && echo deep > /srv/a/b/c',
  'echo changed >> /etc/issue',
  'rm /etc/debian_version',
  'rm -r /usr/share/doc/dash',
  'ln -s /etc /linked',
  'mkfifo /tmp/fifo',
  'touch -d "2001-01-01" /usr/local',
  'rm -r /opt && mkdir /opt && touch /opt/again',
  'echo done > /tmp/ready',
  'sleep 60',
].join(' && ');

describe('overlay changes', () => {
  test('list what docker diff lists, in its order', async () => {
    const id = await containerRunning(EVERY_KIND);
    try {
      const dirs = await engineDirs(id);
      await waitForFile(dirs.upper, '/tmp/ready');
      const ours = await overlayChanges(dirs);
      const docker = await engine.dockerDiff(id);
      // Docker lists what it walked in its walk's order, and on this engine it compares the whole image
      // ("naive diff"), which lists every ancestor of a change and ignores a folder's own times; its native
      // overlay diff, like the walk, lists a folder only when it changed itself or holds an added or deleted
      // entry. The files, links and deletions are the same either way, and so is the parent rule.
      const isFolder = (change: FileChange) => fs.lstatSync(dirs.upper + change.path).isDirectory();
      const entries = (changes: FileChange[]) =>
        changes
          .filter((change) => change.kind !== 'changed' || !isFolder(change))
          .map((change) => `${change.kind} ${change.path}`)
          .sort();
      assert.deepEqual(entries(ours), entries(docker));
      for (const changes of [ours, docker])
        for (const change of changes.filter((change) => change.kind !== 'changed')) {
          const parent = path.posix.dirname(change.path);
          if (parent !== '/')
            assert.ok(
              changes.some((other) => other.kind !== 'deleted' && other.path === parent),
              `${parent} listed`,
            );
        }
      assert.ok(
        ours.some((change) => change.kind === 'changed' && change.path === '/usr/local'),
        'a folder touched',
      );
      for (const expected of [
        'added /tmp/new',
        'added /srv/a/b/c',
        'changed /etc/issue',
        'deleted /etc/debian_version',
      ])
        assert.ok(
          ours.some((change) => `${change.kind} ${change.path}` === expected),
          `${expected} in ${JSON.stringify(ours)}`,
        );
      assert.deepEqual(await engine.diff(id), ours, "the engine's diff is the walk where it can read the layers");
    } finally {
      await engine.removeContainer(id);
    }
  });

  test('a folder is read only through a descriptor that is that folder, never through a link', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'overlay-'));
    try {
      fs.mkdirSync(path.join(root, 'upper/app'), { recursive: true });
      fs.writeFileSync(path.join(root, 'upper/app/mine'), '');
      // What a container can do at any moment: make one of its folders a link to the host's /.
      fs.symlinkSync('/', path.join(root, 'upper/host'));
      assert.deepEqual(readDirectory(path.join(root, 'upper/app')), ['mine']);
      assert.equal(readDirectory(path.join(root, 'upper/host')), null, 'the link itself');
      assert.equal(readDirectory(path.join(root, 'upper/host/etc')), null, 'a folder beyond the link');
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });
});

async function engineDirs(id: string) {
  const info = await engine.docker.getContainer(id).inspect();
  const data = info.GraphDriver.Data as unknown as { UpperDir: string; LowerDir: string };
  return { upper: data.UpperDir, lowers: data.LowerDir.split(':') };
}

async function waitForFile(upper: string, file: string): Promise<void> {
  for (let i = 0; i < 200 && !fs.existsSync(upper + file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(fs.existsSync(upper + file), `${file} was written`);
}
