import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, SETTING_NAMES } from './config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

test('with nothing set every setting has its embedded default', () => {
  const settings = loadConfig({});
  assert.equal(settings.PORT, 3000);
  assert.equal(settings.LAB_TERMINAL_MAX_CONTAINERS, 8);
  assert.equal(settings.LAB_LEARNER_CPUS, 1);
  assert.equal(settings.LAB_BUILD_CACHE_MAX_AGE, '24h');
  assert.equal(settings.DATABASE_URL, 'file:./data/lab.db');
  assert.equal(settings.LAB_MAX_RUNS, undefined, 'sized from the machine when unset');
});

test('values are parsed into their types; an empty value counts as unset', () => {
  const settings = loadConfig({
    PORT: '8080',
    LAB_LEARNER_CPUS: '1.5',
    LAB_MAX_QUEUE: '0',
    LAB_LOG: 'debug',
    LAB_MAX_RUNS: '',
  });
  assert.equal(settings.PORT, 8080);
  assert.equal(settings.LAB_LEARNER_CPUS, 1.5);
  assert.equal(settings.LAB_MAX_QUEUE, 0);
  assert.equal(settings.LAB_LOG, 'debug');
  assert.equal(settings.LAB_MAX_RUNS, undefined);
});

test('a bad value is refused with the variable, the value and what it accepts', () => {
  assert.deepEqual(problemsOf({ LAB_TERMINAL_MAX_CONTAINERS: 'abc' }), [
    'LAB_TERMINAL_MAX_CONTAINERS="abc" is not valid: expected a whole number ≥ 1',
  ]);
  assert.deepEqual(problemsOf({ PORT: '70000' }), [
    'PORT="70000" is not valid: expected a whole number from 1 to 65535',
  ]);
  assert.deepEqual(problemsOf({ LAB_LEARNER_CPUS: '0' }), [
    'LAB_LEARNER_CPUS="0" is not valid: expected a number above 0 and at most 256',
  ]);
  assert.match(problemsOf({ LAB_LOG: 'verbose' })[0], /^LAB_LOG="verbose" is not valid: expected .*"debug".*"silent"/);
  assert.match(
    problemsOf({ DATABASE_URL: 'mysql://db/lab' })[0],
    /^DATABASE_URL="mysql:\/\/db\/lab" is not valid: expected file:<path> \(SQLite\) or postgres:/,
  );
  assert.match(
    problemsOf({ LAB_BUILD_CACHE_MAX_AGE: '1 day' })[0],
    /LAB_BUILD_CACHE_MAX_AGE="1 day" is not valid: expected a duration such as 24h/,
  );
  assert.match(
    problemsOf({ LAB_SECRET: 'short' })[0],
    /^LAB_SECRET="short" is not valid: expected at least 16 characters/,
  );
  assert.match(
    problemsOf({ DOCKER_HOST: '/var/run/docker.sock' })[0],
    /^DOCKER_HOST=.* expected unix:\/\/\/path\/to\/socket or tcp:\/\/host:port/,
  );
});

test('numbers that used to slip through are refused: fractions, signs, NaN, Infinity, hex, blanks', () => {
  for (const value of ['2.5', '-1', '+3', 'NaN', 'Infinity', '0x10', ' 8', '1e3']) {
    assert.equal(problemsOf({ LAB_MAX_WORKSTATIONS: value }).length, 1, value);
  }
});

test('every bad variable is named at once', () => {
  const problems = problemsOf({ PORT: 'x', LAB_RUNS_PER_MINUTE: '0', LAB_TERMINAL_MAX_IMAGES: 'many' });
  assert.deepEqual(
    problems.map((problem) => problem.split('=')[0]),
    ['PORT', 'LAB_RUNS_PER_MINUTE', 'LAB_TERMINAL_MAX_IMAGES'],
  );
});

test("the README's settings table lists exactly the validated settings, in their order", () => {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('\n## Settings'),
    readme.indexOf('\n## ', readme.indexOf('\n## Settings') + 1),
  );
  const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
  assert.deepEqual(documented, SETTING_NAMES);
});

test('a cell of a lab of several needs PostgreSQL, the shared secret, and a name it can be told by', () => {
  const secret = { LAB_SECRET: 's'.repeat(32) };
  assert.match(
    problemsOf({ LAB_CELL: 'cell-a', ...secret })[0],
    /^LAB_CELL="cell-a" needs DATABASE_URL to name a PostgreSQL database/,
  );
  const postgres = { DATABASE_URL: 'postgres://u:p@db/lab' };
  assert.match(
    problemsOf({ LAB_CELL: 'cell-a', ...postgres })[0],
    /^LAB_CELL="cell-a" needs LAB_SECRET, the same on every cell/,
  );
  assert.match(problemsOf({ LAB_CELL: 'Cell A', ...postgres, ...secret })[0], /^LAB_CELL="Cell A" is not valid/);
  assert.equal(loadConfig({ LAB_CELL: 'cell-a', ...postgres, ...secret }).LAB_CELL, 'cell-a');
});
