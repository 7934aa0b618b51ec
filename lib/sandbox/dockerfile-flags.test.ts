import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractBuilderFlags } from './dockerfile-flags';

test('flags are the --words before the arguments; the arguments come back trimmed', () => {
  const read = extractBuilderFlags('--from=build --chown=node:node  src /app ');
  assert.deepEqual(
    read.flags.map(({ name, value, plain }) => ({ name, value, plain })),
    [
      { name: 'from', value: 'build', plain: true },
      { name: 'chown', value: 'node:node', plain: true },
    ],
  );
  assert.equal(read.args, 'src /app');
  assert.equal(read.nonAscii, false);
});

test('a flag without "=" has no value, an empty one has an empty value', () => {
  assert.deepEqual(
    extractBuilderFlags('--from --chown= x y').flags.map(({ name, value }) => [name, value]),
    [
      ['from', undefined],
      ['chown', ''],
    ],
  );
});

test('quotes and backslashes in a flag are removed as the engine removes them, and the flag is then not plain', () => {
  const [quoted] = extractBuilderFlags('--from="lab/node" a b').flags;
  assert.deepEqual([quoted.value, quoted.plain, quoted.text], ['lab/node', false, '--from="lab/node"']);
  const [escaped] = extractBuilderFlags('--from=bu\\ild a b').flags;
  assert.deepEqual([escaped.value, escaped.plain], ['build', false]);
  const [spaced] = extractBuilderFlags("--from='a b' c d").flags;
  assert.equal(spaced.value, 'a b');
});

test('flags end at the first word without "--", at a lone "--", and only "--" starts one', () => {
  assert.deepEqual(extractBuilderFlags('src --from=x /app').flags, []);
  const afterDashes = extractBuilderFlags('--chown=1 -- --from=x /app');
  assert.deepEqual(
    afterDashes.flags.map((flag) => flag.name),
    ['chown'],
  );
  assert.equal(afterDashes.args, '--from=x /app');
  assert.deepEqual(extractBuilderFlags('-from=x a').flags, []);
});

test('a leading non-breaking space is not a space to the byte-wise reader: what follows is no flag', () => {
  const read = extractBuilderFlags('\u00a0--from=evil a b');
  assert.deepEqual(read.flags, []);
  assert.equal(read.args, '--from=evil a b');
});

test('a non-ASCII character inside a flag (which the engine reads byte by byte) is reported', () => {
  assert.equal(extractBuilderFlags('--chown=a\u00a0--from=evil x y').nonAscii, true);
  assert.equal(extractBuilderFlags('--from="\u00e0" x y').nonAscii, true);
  assert.equal(extractBuilderFlags('--from=x \u00e0 y').nonAscii, false);
});
