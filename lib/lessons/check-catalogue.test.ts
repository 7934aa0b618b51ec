// The README's check catalogue is the exercises' own: written from them, and current.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CATALOGUE_END, CATALOGUE_START, checkCatalogue, withCatalogue } from './check-catalogue';
import { allExercises, loadCurriculum } from './curriculum';

test('the README holds the catalogue written from the exercises as they are now', () => {
  const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
  const catalogue = checkCatalogue(loadCurriculum());
  assert.equal(withCatalogue(readme, catalogue), readme, 'README.md is stale: run `npm run --silent lab -- catalogue --write`');
});

test('every exercise, check and mistake is in the catalogue', () => {
  const lessons = loadCurriculum();
  const catalogue = checkCatalogue(lessons);
  assert.ok(catalogue.startsWith(CATALOGUE_START) && catalogue.endsWith(CATALOGUE_END));
  for (const exercise of allExercises(lessons)) {
    assert.ok(catalogue.includes(`\`${exercise.id}\``), exercise.id);
    for (const id of Object.keys(exercise.spec.mistakes)) assert.ok(catalogue.includes(`- \`${id}\`: `), `${exercise.id}: mistake ${id}`);
    if (exercise.kind === 'build') for (const check of exercise.spec.checks) assert.ok(catalogue.includes(`| ${check.title}`), `${exercise.id}: check ${check.id}`);
  }
});

test('a README without the markers is refused rather than appended to', () => {
  assert.throws(() => withCatalogue('# lab\n', 'x'), /no check catalogue markers/);
});
