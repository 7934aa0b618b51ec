// Archives written byte by byte: what decides an entry's name besides its ustar name field (pax `path`,
// GNU long names, the ustar prefix, global headers) is checked like the name itself, and what tar tools
// read differently is refused rather than guessed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalContext } from './build-context';
import {
  LIMITS,
  contextOf,
  entriesOf,
  gnuLongEntry,
  paxEntry,
  rawArchive,
  rawEntry,
  rawHeader,
  refusalOf,
} from './build-context-fixtures';

const DOCKERFILE = rawEntry({ name: 'Dockerfile' }, 'FROM lab/node\n');
const read = (...parts: Buffer[]) => canonicalContext(rawArchive(...parts), null, LIMITS);
const messageOf = async (...parts: Buffer[]) => refusalOf(await read(...parts)).message;

describe('pax headers', () => {
  test('a pax path is the name that is checked, whatever the ustar name says', async () => {
    assert.match(
      await messageOf(DOCKERFILE, paxEntry({ path: '../../etc/cron.d/x' }), rawEntry({ name: 'innocent.txt' }, 'x')),
      /holds \.\.\/\.\.\/etc\/cron\.d\/x, whose name has a \.\. part/,
    );
    assert.match(
      await messageOf(paxEntry({ path: '/Dockerfile' }), rawEntry({ name: 'notes.txt' }, 'FROM evil')),
      /holds \/Dockerfile, whose name starts with \//,
    );
    assert.match(
      await messageOf(DOCKERFILE, paxEntry({ path: 'Dockerfile' }), rawEntry({ name: 'notes.txt' }, 'FROM evil')),
      /holds Dockerfile twice/,
    );
  });

  test('a pax path is applied to the entry after it only, and none of its other records reach the engine', async () => {
    const records = {
      path: 'sub/Dockerfile',
      mtime: '1700000000.5',
      'SCHILY.xattr.security.capability': 'x',
      uname: 'evil',
      uid: '1000',
    };
    const context = contextOf(
      await read(
        paxEntry(records),
        rawEntry({ name: 'x' }, 'FROM lab/node\n'),
        rawEntry({ name: 'Dockerfile' }, 'FROM a\n'),
      ),
    );
    assert.deepEqual(
      context.files.map((f) => f.name),
      ['Dockerfile', 'sub/Dockerfile'],
    );
    const sent = await entriesOf(context.tar);
    assert.ok(sent.every((e) => e.pax === null && e.uname === '' && e.uid === 0 && e.mtime.getTime() === 0));
  });

  test('a pax size is the size of the content', async () => {
    const content = 'FROM lab/node\n';
    const entry = Buffer.concat([
      rawHeader({ name: 'Dockerfile', size: 3 }),
      Buffer.from(content),
      Buffer.alloc(512 - content.length),
    ]);
    assert.equal(contextOf(await read(paxEntry({ size: String(content.length) }), entry)).dockerfile.text, content);
  });

  test('a pax linkpath does not make a file a link, and a link with one is refused with it', async () => {
    const context = contextOf(await read(paxEntry({ linkpath: '/etc/passwd' }), DOCKERFILE));
    assert.equal(context.files[0].content.toString(), 'FROM lab/node\n');
    assert.match(
      await messageOf(
        paxEntry({ linkpath: '/etc/shadow' }),
        rawEntry({ name: 'app/x', typeflag: '2', linkname: 'ok' }),
      ),
      /symbolic link, app\/x -> \/etc\/shadow/,
    );
  });

  test('two pax headers for one entry, a pax path with a GNU long name, sparse files, malformed records and a header at the end are refused', async () => {
    assert.match(
      await messageOf(paxEntry({ path: 'a' }), paxEntry({ path: 'b' }), DOCKERFILE),
      /two pax headers precede one entry/,
    );
    assert.match(
      await messageOf(paxEntry({ path: 'a' }), gnuLongEntry('b'), DOCKERFILE),
      /both a pax path and a GNU long name/,
    );
    assert.match(await messageOf(paxEntry({ 'GNU.sparse.major': '1' }), DOCKERFILE), /holds a sparse file/);
    assert.match(
      await messageOf(rawEntry({ name: 'p', typeflag: 'x' }, '99 path=a\n'), DOCKERFILE),
      /not a valid tar archive: a pax record is malformed/,
    );
    assert.match(
      await messageOf(rawEntry({ name: 'p', typeflag: 'x' }, '12 noequals\n'), DOCKERFILE),
      /a pax record has no key/,
    );
    assert.match(await messageOf(DOCKERFILE, paxEntry({ path: 'x' })), /it ends right after a pax or long-name header/);
  });

  test('a global header is ignored, unless it sets a path, a link or a size', async () => {
    // `git archive` writes one with the commit: that context must build.
    assert.equal(contextOf(await read(paxEntry({ comment: '0123abcd' }, 'g'), DOCKERFILE)).files.length, 1);
    for (const key of ['path', 'linkpath', 'size']) {
      assert.match(
        await messageOf(paxEntry({ [key]: '1' }, 'g'), DOCKERFILE),
        new RegExp(`pax global header that sets ${key}`),
      );
    }
    assert.match(
      await messageOf(paxEntry({ path: 'a' }), paxEntry({ comment: 'x' }, 'g'), DOCKERFILE),
      /global header follows a pax or long-name header/,
    );
  });
});

describe('GNU long names and the ustar prefix', () => {
  test('a GNU long name is the name that is checked', async () => {
    assert.match(
      await messageOf(gnuLongEntry('a/../Dockerfile'), rawEntry({ name: 'harmless', magic: 'gnu' }, 'FROM evil')),
      /holds a\/\.\.\/Dockerfile, whose name has a \.\. part/,
    );
    const long = `${'d'.repeat(150)}/Dockerfile`;
    assert.equal(
      contextOf(
        await canonicalContext(
          rawArchive(gnuLongEntry(long), rawEntry({ name: 'x', magic: 'gnu' }, 'FROM a')),
          long,
          LIMITS,
        ),
      ).dockerfile.name,
      long,
    );
  });

  test('a GNU long name over maxNameBytes is refused at its header, before its bytes are read', async () => {
    const header = rawHeader({ name: '././@LongLink', typeflag: 'L', size: 60_000, magic: 'gnu' });
    assert.deepEqual(refusalOf(await canonicalContext(header, null, LIMITS)), {
      status: 400,
      message: 'the build context holds a name longer than 255 bytes (a GNU long name of 60000 bytes)',
    });
    assert.match(
      await messageOf(gnuLongEntry('n'.repeat(256)), rawEntry({ name: 'x', magic: 'gnu' }, 'y')),
      /holds a name longer than 255 bytes \(a GNU long name of 257 bytes\)/,
    );
    // At the limit, the name is read and checked like any other.
    assert.match(
      await messageOf(gnuLongEntry(`${'n'.repeat(250)}/../x`), rawEntry({ name: 'x', magic: 'gnu' }, 'y')),
      /whose name has a \.\. part/,
    );
  });

  test('a GNU long link target is shown in the refusal of the link', async () => {
    assert.match(
      await messageOf(
        gnuLongEntry(`/${'t'.repeat(120)}`, 'K'),
        rawEntry({ name: 'Dockerfile', typeflag: '2', magic: 'gnu' }),
      ),
      new RegExp(`symbolic link, Dockerfile -> /${'t'.repeat(120)}:`),
    );
  });

  test('two long names for one entry are refused', async () => {
    assert.match(
      await messageOf(gnuLongEntry('a'), gnuLongEntry('b'), DOCKERFILE),
      /two GNU long names precede one entry/,
    );
  });

  test('the ustar prefix is part of the name; a GNU header has none', async () => {
    assert.equal(
      contextOf(
        await canonicalContext(
          rawArchive(rawEntry({ name: 'Dockerfile', prefix: 'a/b' }, 'FROM x')),
          'a/b/Dockerfile',
          LIMITS,
        ),
      ).files[0].name,
      'a/b/Dockerfile',
    );
    assert.match(
      await messageOf(rawEntry({ name: 'Dockerfile', prefix: '..' }, 'FROM x')),
      /holds \.\.\/Dockerfile, whose name has a \.\. part/,
    );
    assert.match(
      await messageOf(rawEntry({ name: 'Dockerfile', prefix: '/' }, 'FROM x')),
      /holds \/\/Dockerfile, whose name starts with \//,
    );
    assert.equal(
      contextOf(await read(rawEntry({ name: 'Dockerfile', prefix: 'ignored', magic: 'gnu' }, 'FROM x'))).files[0].name,
      'Dockerfile',
    );
  });
});

describe('headers', () => {
  test('the old regular-file type `\\0` is a folder when its name ends in /; type 0 with a / is refused', async () => {
    const context = contextOf(
      await read(
        rawEntry({ name: 'src/', typeflag: '\0', mode: 0o755 }),
        rawEntry({ name: 'Dockerfile', typeflag: '\0' }, 'FROM x'),
      ),
    );
    assert.deepEqual(context.directories, ['src']);
    assert.deepEqual(
      context.files.map((f) => f.name),
      ['Dockerfile'],
    );
    assert.match(
      await messageOf(DOCKERFILE, rawEntry({ name: 'src/' }, 'x')),
      /holds src\/, whose name ends with \/ but is not a folder/,
    );
  });

  test('a folder that claims content, an unknown type, a name that is not UTF-8 are refused', async () => {
    assert.match(
      await messageOf(rawHeader({ name: 'src/', typeflag: '5', size: 1024 }), Buffer.alloc(1024, 0x41), DOCKERFILE),
      /holds a folder, src\/, that claims 1 KiB of content/,
    );
    assert.match(
      await messageOf(DOCKERFILE, rawEntry({ name: 'sparse', typeflag: 'S' }, 'x')),
      /holds an entry of tar type "S", sparse: the lab accepts regular files and folders only/,
    );
    assert.match(
      await messageOf(rawEntry({ name: '', nameBytes: Buffer.from([0x61, 0xff, 0x62]) }, 'x')),
      /holds an entry name that is not UTF-8 text: "a\u00ffb"/,
    );
  });

  test('a wrong checksum, star and V7 headers are not accepted', async () => {
    assert.match(
      await messageOf(rawHeader({ name: 'Dockerfile' }, 1234)),
      /not a valid tar archive: a header checksum is wrong/,
    );
    assert.match(
      await messageOf(rawEntry({ name: 'Dockerfile', magic: 'star' }, 'FROM x')),
      /star headers are not accepted/,
    );
    assert.match(
      await messageOf(rawEntry({ name: 'Dockerfile', magic: 'v7' }, 'FROM x')),
      /a header is not ustar, pax or GNU/,
    );
  });

  test('a zero block ends the archive: nothing after the second one is read, data after the first is refused', async () => {
    let chunksAsked = 0;
    async function* body() {
      for (const chunk of [DOCKERFILE, Buffer.alloc(1024), Buffer.from('garbage after the end'.repeat(100))]) {
        chunksAsked += 1;
        yield chunk;
      }
    }
    assert.equal(contextOf(await canonicalContext(body(), null, LIMITS)).files.length, 1);
    assert.equal(chunksAsked, 2);
    assert.equal(
      contextOf(await canonicalContext(Buffer.concat([DOCKERFILE, Buffer.alloc(512)]), null, LIMITS)).files.length,
      1,
    );
    assert.match(
      await messageOf(DOCKERFILE, Buffer.alloc(512), rawEntry({ name: 'later' }, 'x')),
      /a zero block is followed by more data/,
    );
  });

  test('base-256 sizes are read; negative ones are refused', async () => {
    const header = rawHeader({ name: 'Dockerfile', size: 0 });
    header.fill(0, 124, 136);
    header[124] = 0x80;
    header[135] = 6;
    header.write('        ', 148, 'latin1');
    header.write(
      `${header
        .reduce((sum, byte) => sum + byte, 0)
        .toString(8)
        .padStart(6, '0')}\0 `,
      148,
      'latin1',
    );
    assert.equal(
      contextOf(await read(header, Buffer.concat([Buffer.from('FROM x'), Buffer.alloc(506)]))).dockerfile.text,
      'FROM x',
    );
    header[124] = 0xff;
    header.write('        ', 148, 'latin1');
    header.write(
      `${header
        .reduce((sum, byte) => sum + byte, 0)
        .toString(8)
        .padStart(6, '0')}\0 `,
      148,
      'latin1',
    );
    assert.match(await messageOf(header), /a header's size is negative/);
  });
});
