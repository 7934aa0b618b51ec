import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copySource, fromWords, imageReferences, StageBook } from './dockerfile-stages';

test('fromWords: one word, or three with AS (any case fold) in the middle; the stage name is lower-cased', () => {
  assert.deepEqual(fromWords('lab/node'), { image: 'lab/node', alias: undefined, wellFormed: true });
  assert.deepEqual(fromWords('lab/node as Build'), { image: 'lab/node', alias: 'build', wellFormed: true });
  assert.deepEqual(fromWords('lab/node a\u017F b'), { image: 'lab/node', alias: 'b', wellFormed: true });
  assert.equal(fromWords('lab/node\rRUN x').wellFormed, false);
  assert.equal(fromWords('lab/node build').wellFormed, false);
  assert.deepEqual(fromWords(''), { image: undefined, alias: undefined, wellFormed: false });
});

/** A book after the given FROM aliases, as if each FROM was read in turn. */
function bookAfter(...aliases: (string | undefined)[]): StageBook {
  const book = new StageBook();
  for (const alias of aliases) {
    book.endStage();
    book.startStage(alias);
  }
  return book;
}

test('a stage is nameable once the next FROM has started; its own instructions cannot name it', () => {
  const book = bookAfter('build', undefined);
  assert.equal(copySource('build', book, false), 'stage');
  assert.equal(copySource('BUILD', book, false), 'stage');
  assert.equal(copySource('0', book, false), 'stage-number');
  assert.equal(copySource('1', book, false), 'bad-number');
  const inside = bookAfter('build');
  assert.equal(copySource('build', inside, false), 'this-stage');
  assert.equal(copySource('0', inside, false), 'bad-number');
});

test('numbers the engine parses with strconv.ParseInt are stage numbers to it: only plain ones are taken', () => {
  const book = bookAfter(undefined, undefined, undefined);
  for (const value of ['+1', '-0', '02', '00', '99999999999999999999'])
    assert.equal(copySource(value, book, false), 'bad-number', value);
  assert.equal(copySource('1', book, false), 'stage-number');
  assert.equal(copySource('1_0', book, false), 'image');
});

test("in an ONBUILD trigger, stage names and numbers are the later build's: names are images, numbers refused", () => {
  const book = bookAfter('build', undefined);
  assert.equal(copySource('build', book, true), 'image');
  assert.equal(copySource('0', book, true), 'trigger-stage');
  assert.equal(copySource('lab/node', book, true), 'image');
});

test('imageReferences lists FROM images and --from images, not stages or stage numbers, ONBUILD included', () => {
  const text = [
    'FROM lab/node AS build',
    'FROM build',
    'COPY --from=build a b',
    'COPY --from=0 a b',
    'COPY --chown=1 --from=me/app a b',
    'ONBUILD COPY --from=me/tools a b',
    'ONBUILD COPY --from=0 a b',
    'FROM me/app:v2 AS final',
    'FROM final',
  ].join('\n');
  assert.deepEqual(imageReferences(text), [
    { line: 1, kind: 'from', name: 'lab/node' },
    { line: 5, kind: 'copy-from', name: 'me/app' },
    { line: 6, kind: 'copy-from', name: 'me/tools' },
    { line: 8, kind: 'from', name: 'me/app:v2' },
  ]);
});

test('imageReferences reads names as the engine does: a stage name used in its own stage is an image', () => {
  assert.deepEqual(imageReferences('FROM lab/node AS app\nCOPY --from=app a b\n'), [
    { line: 1, kind: 'from', name: 'lab/node' },
    { line: 2, kind: 'copy-from', name: 'app' },
  ]);
  assert.deepEqual(imageReferences('FROM\tlab/node\r\nCOPY \\\n  --from=me/app a b\r\n'), [
    { line: 1, kind: 'from', name: 'lab/node' },
    { line: 2, kind: 'copy-from', name: 'me/app' },
  ]);
});

test('imageReferences skips names that are stages although they are spelled in another case', () => {
  assert.deepEqual(imageReferences('FROM lab/node AS Build\nFROM BUILD\nCOPY --from=bUiLd a b'), [
    { line: 1, kind: 'from', name: 'lab/node' },
  ]);
});
