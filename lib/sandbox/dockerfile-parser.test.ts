import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDockerfile, imageReferences } from './dockerfile-rules';
import { parseDockerfile, readDockerfile, splitCommand } from './dockerfile-parser';

const instructionsOf = (text: string) => parseDockerfile(text).instructions.map(({ line, keyword, args }) => [line, keyword, args]);

test('a bare \\r stays inside its line (bufio.ScanLines); it does not throw and is a space between words', () => {
  assert.deepEqual(instructionsOf('FROM lab/node\rRUN x'), [[1, 'FROM', 'lab/node\rRUN x']]);
  assert.deepEqual(instructionsOf('FROM lab/node\r\rAS build\r\n'), [[1, 'FROM', 'lab/node\r\rAS build']]);
  assert.deepEqual(instructionsOf('FROM\rlab/node'), [[1, 'FROM', 'lab/node']]);
});

test('one \\r before the \\n or at the end of the file is dropped', () => {
  assert.deepEqual(instructionsOf('FROM lab/node\r\nCMD x\r'), [
    [1, 'FROM', 'lab/node'],
    [2, 'CMD', 'x'],
  ]);
});

test('a \\r after the continuation backslash stops it being one (only spaces and tabs may follow it)', () => {
  assert.deepEqual(instructionsOf('RUN a \\\r\r\nCMD x'), [
    [1, 'RUN', 'a \\'],
    [2, 'CMD', 'x'],
  ]);
  assert.deepEqual(instructionsOf('RUN a \\ \t\nb'), [[1, 'RUN', 'a b']]);
});

test('continued lines are joined without a space, keeping their indentation; an escaped backslash does not continue', () => {
  assert.deepEqual(instructionsOf('ADD http:\\\n//host/x \\\n  /x'), [[1, 'ADD', 'http://host/x   /x']]);
  assert.deepEqual(instructionsOf('RUN echo \\\\\nCMD x'), [
    [1, 'RUN', 'echo \\\\'],
    [2, 'CMD', 'x'],
  ]);
});

test('comment and blank lines inside a continuation are skipped, indented comments too', () => {
  assert.deepEqual(instructionsOf('RUN a \\\n   # note\n\n  \t\n b'), [[1, 'RUN', 'a  b']]);
});

test('a byte-order mark is dropped from the start of the file only', () => {
  assert.deepEqual(instructionsOf('\uFEFFFROM lab/node'), [[1, 'FROM', 'lab/node']]);
  assert.deepEqual(instructionsOf('FROM lab/node\n\uFEFFCMD x')[1], [2, '\uFEFFCMD', 'x']);
});

test('indentation before a keyword is any Go space, a non-breaking space included', () => {
  assert.deepEqual(instructionsOf('\u00a0\tFROM lab/node'), [[1, 'FROM', 'lab/node']]);
});

test('directives are read only at the top; an indented one counts; # check= is refused as well', () => {
  assert.deepEqual(readDockerfile('  # escape=`\n# syntax=x\n# check=skip=all\nFROM lab/node').directives.map((d) => d.name), ['escape', 'syntax', 'check']);
  assert.deepEqual(readDockerfile('# hello\n# escape=`\nFROM lab/node').directives, []);
});

test('splitCommand keeps the text after the keyword as the engine takes flags from it', () => {
  assert.deepEqual(splitCommand('  copy\t --from=a  b c  '), { keyword: 'COPY', rest: '--from=a  b c', args: '--from=a  b c' });
  assert.deepEqual(splitCommand('ADD\u00a0x y'), { keyword: 'ADD\u00a0x', rest: 'y', args: 'y' });
  assert.equal(splitCommand('WOR\u212ADIR /proc').keyword, 'WOR\u212ADIR');
  assert.deepEqual(splitCommand(''), { keyword: '', rest: '', args: '' });
});

/** A small deterministic generator, so that a failure can be replayed. */
function* randomTexts(count: number): Generator<string> {
  const pieces = ['FROM', 'ADD', 'COPY', 'ONBUILD', 'LABEL', 'HEALTHCHECK', 'lab/node', ' ', '\t', '\r', '\n', '\\', '"', "'", '[', ']', '{', '}', '$', '#', '=', '--from=', '--interval=', 'http://', '\u00a0', '\uFEFF', '\u0130', '\uD800', '\u00e0', 'AS', '0', ',', 'x'];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = next() % 40;
    for (let j = 0; j < length; j++) text += pieces[next() % pieces.length];
    yield text;
  }
}

test('nothing throws, whatever the text', () => {
  for (const text of randomTexts(5000)) {
    assert.doesNotThrow(() => {
      parseDockerfile(text);
      checkDockerfile(text, ['lab/node']);
      imageReferences(text);
    }, JSON.stringify(text));
  }
});
