// The store on a real PostgreSQL database (npm test starts one and passes LAB_TEST_POSTGRES_URL).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { defineStoreTests } from './learner-store-cases';

const url = process.env.LAB_TEST_POSTGRES_URL;
if (!url) throw new Error('LAB_TEST_POSTGRES_URL is not set: run the tests with npm test, which starts PostgreSQL');
defineStoreTests(url);

test('the PostgreSQL schema has the same models as the SQLite one', () => {
  const models = (file: string) =>
    fs.readFileSync(path.resolve(file), 'utf8').slice(fs.readFileSync(path.resolve(file), 'utf8').indexOf('///'));
  assert.equal(models('prisma/postgres/schema.prisma'), models('prisma/schema.prisma'));
});
