// CSV fields: quoted when needed, and never a formula.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, toCsv } from './results-csv';

test('plain text and numbers stay as they are; empty for missing', () => {
  assert.equal(csvField('Ada'), 'Ada');
  assert.equal(csvField(3), '3');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
});

test('commas, quotes and line breaks are quoted, quotes doubled', () => {
  assert.equal(csvField('Lovelace, Ada'), '"Lovelace, Ada"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
});

test('what a spreadsheet would run as a formula is prefixed with a quote', () => {
  assert.equal(csvField('=HYPERLINK("http://evil","x")'), '"\'=HYPERLINK(""http://evil"",""x"")"');
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
});

test('a file: header, rows, CRLF line ends', () => {
  assert.equal(
    toCsv(
      ['a', 'b'],
      [
        ['x', 1],
        ['y,z', null],
      ],
    ),
    'a,b\r\nx,1\r\n"y,z",\r\n',
  );
});
