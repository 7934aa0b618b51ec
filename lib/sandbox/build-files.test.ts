import assert from 'node:assert/strict';
import { test } from 'node:test';
import tar from 'tar-stream';
import { parseDockerfile } from './dockerfile-rules';
import { labelledDockerfile, packContext, withRunLabels } from './build-files';
import type { LearnerFile } from './learner-files';

const LABELS = { 'lab.run': 'run-1', 'lab.owner': 'alice', 'lab.expires': '1700000000000' };

interface Entry {
  name: string;
  mode: number | undefined;
  type: string | null | undefined;
  size: number | undefined;
  mtime: Date | undefined;
  content: string;
}

/** The entries of a tar archive, in order. */
async function untar(archive: Buffer): Promise<Entry[]> {
  const extract = tar.extract();
  const entries: Entry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const { name, mode, type, size, mtime } = entry.header;
      entries.push({ name, mode, type, size, mtime, content: Buffer.concat(chunks).toString('utf8') });
    }
  })();
  extract.end(archive);
  await done;
  return entries;
}

// --- withRunLabels -----------------------------------------------------------------------------

test('withRunLabels appends one LABEL line with every label, values JSON-quoted', () => {
  const [dockerfile] = withRunLabels([{ name: 'Dockerfile', content: 'FROM lab/node\nCMD ["node"]\n' }], LABELS);
  assert.equal(
    dockerfile.content,
    'FROM lab/node\nCMD ["node"]\nLABEL lab.run="run-1" lab.owner="alice" lab.expires="1700000000000"\n',
  );
});

test('withRunLabels adds the LABEL as an instruction of its own whatever the Dockerfile ends with, changing nothing of it', () => {
  for (const ending of ['', '\n', '\n\n\n', '  \n\t\n', '\r\n', ' \\\f', ' \\\v', ' \\\u00a0']) {
    const text = `FROM lab/node\nRUN echo x${ending}`;
    const [dockerfile] = withRunLabels([{ name: 'Dockerfile', content: text }], { 'lab.run': 'r' });
    assert.ok(dockerfile.content.startsWith(text), JSON.stringify(ending));
    const last = parseDockerfile(dockerfile.content).instructions.at(-1)!;
    assert.deepEqual([last.keyword, last.args], ['LABEL', 'lab.run="r"'], JSON.stringify(ending));
  }
});

test('withRunLabels refuses a Dockerfile whose last instruction would swallow the LABEL', () => {
  assert.throws(
    () => withRunLabels([{ name: 'Dockerfile', content: 'FROM lab/node\nRUN echo \\\n' }], { 'lab.run': 'r' }),
    /ends in the middle of an instruction/,
  );
});

test('labelledDockerfile puts the LABEL at the end of the target stage', () => {
  const result = labelledDockerfile(
    'FROM lab/node AS build\nRUN echo hi > /x\nFROM lab/node\nRUN true\n',
    { 'lab.run': 'r' },
    'BUILD',
  );
  assert.ok('text' in result);
  assert.equal(result.text, 'FROM lab/node AS build\nRUN echo hi > /x\nLABEL lab.run="r"\nFROM lab/node\nRUN true\n');
});

test('withRunLabels escapes quotes and backslashes in values', () => {
  const [dockerfile] = withRunLabels([{ name: 'Dockerfile', content: 'FROM lab/node' }], { 'lab.owner': 'a "b" \\c' });
  assert.equal(dockerfile.content.split('\n')[1], 'LABEL lab.owner="a \\"b\\" \\\\c"');
});

test('withRunLabels changes only the Dockerfile and leaves other files as they are', () => {
  const files: LearnerFile[] = [
    { name: 'server.js', content: 'console.log(1)\n' },
    { name: 'Dockerfile', content: 'FROM lab/node\n' },
    { name: 'dockerfile', content: 'not the Dockerfile\n' },
    { name: 'entrypoint.sh', content: '#!/bin/sh\n' },
  ];
  const labelled = withRunLabels(files, LABELS);
  assert.equal(labelled.length, 4);
  assert.deepEqual(
    labelled.map((f) => f.name),
    ['server.js', 'Dockerfile', 'dockerfile', 'entrypoint.sh'],
  );
  assert.equal(labelled[0], files[0]);
  assert.equal(labelled[2], files[2]);
  assert.equal(labelled[3], files[3]);
  assert.match(labelled[1].content, /\nLABEL lab\.run="run-1" /);
  assert.equal(labelled[1].content.match(/^LABEL /gm)?.length, 1);
});

test('withRunLabels does not modify its input', () => {
  const files: LearnerFile[] = [{ name: 'Dockerfile', content: 'FROM lab/node\n' }];
  withRunLabels(files, LABELS);
  assert.deepEqual(files, [{ name: 'Dockerfile', content: 'FROM lab/node\n' }]);
});

// --- packContext -------------------------------------------------------------------------------

test('packContext returns a tar archive of the files with their names and contents', async () => {
  const files: LearnerFile[] = [
    { name: 'Dockerfile', content: 'FROM lab/node\nCMD ["node", "server.js"]\n' },
    { name: 'server.js', content: 'console.log("héllo")\n' },
  ];
  const archive = await packContext(files);
  assert.ok(Buffer.isBuffer(archive));
  assert.equal(archive.length % 512, 0, 'a tar archive is made of 512-byte blocks');
  const entries = await untar(archive);
  assert.deepEqual(
    entries.map((e) => [e.name, e.type, e.content]),
    files.map((f) => [f.name, 'file', f.content]),
  );
  assert.equal(entries[1].size, Buffer.byteLength('console.log("héllo")\n'));
  assert.equal(entries[0].mtime?.getTime(), 0);
});

test('packContext makes .sh files and files starting with #! executable (0755), others 0644', async () => {
  const entries = await untar(
    await packContext([
      { name: 'Dockerfile', content: 'FROM lab/node\n' },
      { name: 'entrypoint.sh', content: 'exec node server.js\n' },
      { name: 'run', content: '#!/usr/bin/env node\nconsole.log(1)\n' },
      { name: 'server.js', content: 'console.log(1)\n' },
      { name: 'notes.txt', content: 'see #!/bin/sh below\n' },
      { name: 'sh', content: 'plain\n' },
    ]),
  );
  assert.deepEqual(
    entries.map((e) => [e.name, (e.mode ?? -1) & 0o7777]),
    [
      ['Dockerfile', 0o644],
      ['entrypoint.sh', 0o755],
      ['run', 0o755],
      ['server.js', 0o644],
      ['notes.txt', 0o644],
      ['sh', 0o644],
    ],
  );
});

test('packContext of an empty file packs an empty entry', async () => {
  const entries = await untar(await packContext([{ name: 'empty', content: '' }]));
  assert.deepEqual(
    entries.map((e) => [e.name, e.size, e.content]),
    [['empty', 0, '']],
  );
});

test('packContext of no files is an empty archive', async () => {
  assert.deepEqual(await untar(await packContext([])), []);
});
