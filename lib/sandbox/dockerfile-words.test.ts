import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  goLower,
  isAsKeyword,
  labelKeys,
  parseWords,
  splitWhitespace,
  trimGoSpace,
  wordList,
  wordValue,
} from './dockerfile-words';

test('trimGoSpace trims what Go trims: U+0085 and U+00A0 yes, U+FEFF no', () => {
  assert.equal(trimGoSpace('\u0085\u00a0 a b\t\u3000'), 'a b');
  assert.equal(trimGoSpace('\uFEFFa'), '\uFEFFa');
});

test('splitWhitespace splits on space, tab, \\v, \\f and \\r only, not on a non-breaking space, and ignores quotes', () => {
  assert.deepEqual(splitWhitespace('a\tb\rc\u000bd\u000ce'), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(splitWhitespace('a\u00a0b "c d"'), ['a\u00a0b', '"c', 'd"']);
  assert.deepEqual(splitWhitespace(''), []);
});

test('parseWords keeps quotes and escapes in the words and splits on Go spaces outside quotes', () => {
  assert.deepEqual(parseWords('a="b c" d=\'e f\' g\\ h'), ['a="b c"', "d='e f'", 'g\\ h']);
  assert.deepEqual(parseWords('a\u00a0b'), ['a', 'b']);
  assert.deepEqual(parseWords('"" x\\'), ['""', 'x']);
  assert.deepEqual(parseWords("'a\\' b"), ["'a\\'", 'b']);
});

test('labelKeys reads key=value pairs and the old "key value" form as the engine splits them', () => {
  assert.deepEqual(labelKeys('maintainer="x" version=1'), ['maintainer', 'version']);
  assert.deepEqual(labelKeys('"lab.owner"=me'), ['"lab.owner"']);
  assert.deepEqual(labelKeys('lab.owner me and more'), ['lab.owner']);
  assert.deepEqual(labelKeys('a="1 2=3"'), ['a']);
  assert.equal(labelKeys('a=1 b'), undefined);
  assert.equal(labelKeys('onlykey'), undefined);
  assert.equal(labelKeys(''), undefined);
});

test('wordList reads the JSON form, decoding escapes, and ignores what follows the first JSON value as Go does', () => {
  assert.deepEqual(wordList('["a b", "/c"]'), { form: 'json', words: ['a b', '/c'] });
  assert.deepEqual(wordList('["\\u0068ttp://x", "/y"] trailing'), { form: 'json', words: ['http://x', '/y'] });
  assert.deepEqual(wordList('["a]", "b"]'), { form: 'json', words: ['a]', 'b'] });
  assert.deepEqual(wordList('["\\ud800"]'), { form: 'json', words: ['\uFFFD'] });
});

test('wordList falls back to whitespace words on a JSON syntax error and refuses arrays of non-strings', () => {
  assert.deepEqual(wordList('[a, b]'), { form: 'shell', words: ['[a,', 'b]'] });
  assert.deepEqual(wordList('["a", "b"'), { form: 'shell', words: ['["a",', '"b"'] });
  assert.deepEqual(wordList('a.js /app/'), { form: 'shell', words: ['a.js', '/app/'] });
  assert.deepEqual(wordList('["a", 1]'), { form: 'json-not-strings' });
  assert.deepEqual(wordList('[["a"]]'), { form: 'json-not-strings' });
});

test('wordValue removes quotes as the word lexer does and a byte-order mark at the start', () => {
  assert.deepEqual(wordValue('"http:"//host/'), { value: 'http://host/' });
  assert.deepEqual(wordValue('\'h\'t"t"p://x'), { value: 'http://x' });
  assert.deepEqual(wordValue('""'), { value: '' });
  assert.deepEqual(wordValue('\uFEFFlab.owner'), { value: 'lab.owner' });
  assert.deepEqual(wordValue('a\uFEFFb'), { value: 'a\uFEFFb' });
});

test('wordValue says why a value cannot be known: a variable, a backslash or an unmatched quote', () => {
  assert.deepEqual(wordValue('$U'), { problem: 'variable' });
  assert.deepEqual(wordValue("'$U'"), { problem: 'variable' });
  assert.deepEqual(wordValue('h\\ttp://x'), { problem: 'backslash' });
  assert.deepEqual(wordValue('"abc'), { problem: 'quote' });
});

test('goLower folds as Go does (İ is a plain i) and isAsKeyword takes every case fold of "as"', () => {
  assert.equal(goLower('BU\u0130LD'), 'build');
  assert.equal(goLower('\u212Aey'), 'key');
  for (const word of ['as', 'AS', 'aS', 'As', 'a\u017F']) assert.ok(isAsKeyword(word), word);
  assert.ok(!isAsKeyword('ass'));
});
