// The build context the engine gets, rebuilt from what the lab accepted: entry types (no link named
// Dockerfile) and one entry per path (no second Dockerfile, no file that is also a folder), and at most
// maxEntries of them. Archives written with tar-stream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DOCKERFILE, refusal, type FixtureEntry } from './build-context-fixtures';

describe('canonicalContext: entry types', () => {
  test('a symbolic link named Dockerfile is refused with its target', async () => {
    assert.deepEqual(await refusal([{ name: 'Dockerfile', type: 'symlink', linkname: '/etc/passwd' }]), {
      status: 400,
      message:
        'the build context holds a symbolic link, Dockerfile -> /etc/passwd: the lab accepts regular files and folders only; copy the file itself',
    });
  });

  test('a hard link named Dockerfile is refused, even to a file that is there', async () => {
    const refused = await refusal([
      { name: 'real', content: DOCKERFILE },
      { name: 'Dockerfile', type: 'link', linkname: 'real' },
    ]);
    assert.equal(
      refused.message,
      'the build context holds a hard link, Dockerfile -> real: the lab accepts regular files and folders only; copy the file itself',
    );
  });

  for (const [type, kind] of [
    ['character-device', 'a character device'],
    ['block-device', 'a block device'],
    ['fifo', 'a FIFO (named pipe)'],
    ['contiguous-file', 'a contiguous file'],
  ] as const) {
    test(`${kind} is refused`, async () => {
      const refused = await refusal([
        { name: 'Dockerfile', content: DOCKERFILE },
        { name: 'dev/x', type, ...(type === 'contiguous-file' ? { content: 'x' } : {}) },
      ]);
      assert.deepEqual(refused, {
        status: 400,
        message: `the build context holds ${kind}, dev/x: the lab accepts regular files and folders only`,
      });
    });
  }
});

describe('canonicalContext: one entry per path', () => {
  test('a second Dockerfile is refused, whichever comes first', async () => {
    for (const [first, second] of [
      [DOCKERFILE, 'FROM evil'],
      ['FROM evil', DOCKERFILE],
    ]) {
      const refused = await refusal([
        { name: 'Dockerfile', content: first },
        { name: './Dockerfile', content: second },
      ]);
      assert.deepEqual(refused, {
        status: 400,
        message:
          'the build context holds Dockerfile twice: the engine would keep only the last one; send each path once',
      });
    }
  });

  test('a file and a folder of one name are refused, in either order', async () => {
    for (const entries of [
      [
        { name: 'app', content: 'x' },
        { name: 'app', type: 'directory' },
      ],
      [
        { name: 'app', type: 'directory' },
        { name: 'app', content: 'x' },
      ],
    ] as FixtureEntry[][]) {
      assert.match((await refusal(entries)).message, /^the build context holds app twice/);
    }
  });

  test('a file that is also the folder of another entry is refused, in either order', async () => {
    const expected =
      'the build context holds app both as a file and as the folder of app/x/server.js: send each path once';
    assert.equal(
      (
        await refusal([
          { name: 'app', content: 'x' },
          { name: 'app/x/server.js', content: 'y' },
        ])
      ).message,
      expected,
    );
    assert.equal(
      (
        await refusal([
          { name: 'app/x/server.js', content: 'y' },
          { name: 'app', content: 'x' },
        ])
      ).message,
      expected,
    );
  });

  test('past maxEntries, the context is too large', async () => {
    const entries = Array.from({ length: 65 }, (_, i) => ({ name: `f${i}`, content: 'x' }));
    assert.deepEqual(await refusal(entries), {
      status: 413,
      message: 'the build context holds more than 64 files and folders',
    });
  });
});
