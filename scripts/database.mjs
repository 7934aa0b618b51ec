// The database steps of the setup: generate the Prisma client when the schema changed, and apply the
// migrations in prisma/migrations. Prisma's own `migrate deploy` needs its schema engine, which cannot
// be downloaded here; this applies the same files in the same order and records them in Prisma's
// `_prisma_migrations` table, so `prisma migrate deploy` agrees wherever it does run.
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** 'postgres' when DATABASE_URL names a PostgreSQL database, else 'sqlite'. */
export function databaseKind(env = process.env) {
  return /^postgres(ql)?:\/\//.test(env.DATABASE_URL ?? '') ? 'postgres' : 'sqlite';
}

/** The SQLite file of DATABASE_URL (file:...), or data/lab.db. */
export function sqlitePath(env = process.env) {
  const url = env.DATABASE_URL;
  if (url && !url.startsWith('file:'))
    throw new Error(
      `DATABASE_URL must be file:... (SQLite) or postgres://... (PostgreSQL), not ${url.split(':')[0]}:...`,
    );
  const file = url ? url.slice('file:'.length) : path.join('data', 'lab.db');
  return path.resolve(root, file);
}

/** The two schemas: SQLite (the default) and PostgreSQL, the same models. */
const SCHEMAS = [
  { schema: path.join(root, 'prisma', 'schema.prisma'), output: path.join(root, 'lib', 'db', 'generated') },
  {
    schema: path.join(root, 'prisma', 'postgres', 'schema.prisma'),
    output: path.join(root, 'lib', 'db', 'generated-pg'),
  },
];

/** Runs `prisma generate` for each schema whose client is missing or older than the schema. */
export function ensurePrismaClient() {
  for (const { schema, output } of SCHEMAS) {
    const stamp = path.join(output, '.schema-hash');
    const hash = createHash('sha256').update(fs.readFileSync(schema)).digest('hex');
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) continue;
    console.error(`[setup] generating the Prisma client for ${path.relative(root, schema)}`);
    // generate does not run the schema engine; it only insists that the file exists.
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', schema],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          CHECKPOINT_DISABLE: '1',
        },
      },
    );
    if (result.status !== 0) throw new Error(`prisma generate exited with code ${result.status}`);
    fs.writeFileSync(stamp, hash);
  }
}

function pendingMigrations(dir, done) {
  return fs
    .readdirSync(dir)
    .filter((entry) => fs.existsSync(path.join(dir, entry, 'migration.sql')))
    .sort()
    .filter((name) => !done.has(name))
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** The advisory lock key of the migrations (any number no other part of the lab uses). */
const MIGRATION_LOCK = 7_202_611;

async function migratePostgres(env) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    // The cells of one lab may start at the same moment: one applies the migrations while the others
    // wait for it (the lock is the session's: it goes with the connection).
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const rows = (await client.query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL'))
      .rows;
    const applied = [];
    for (const migration of pendingMigrations(
      path.join(root, 'prisma', 'postgres', 'migrations'),
      new Set(rows.map((row) => row.migration_name)),
    )) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(
          'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count, started_at) VALUES ($1, $2, now(), $3, 1, now())',
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(migration.name);
    }
    return applied;
  } finally {
    await client.end();
  }
}

/** Applies the migrations not yet applied to the database of DATABASE_URL; returns their names. */
export async function migrate(env = process.env) {
  const applied = databaseKind(env) === 'postgres' ? await migratePostgres(env) : await migrateSqlite(env);
  if (applied.length) console.error(`[setup] applied database migration(s): ${applied.join(', ')}`);
  return applied;
}

async function migrateSqlite(env) {
  const { default: Database } = await import('better-sqlite3');
  const file = sqlitePath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
      "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const done = new Set(
      db
        .prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL')
        .all()
        .map((row) => row.migration_name),
    );
    const applied = [];
    for (const migration of pendingMigrations(path.join(root, 'prisma', 'migrations'), done)) {
      db.transaction(() => {
        db.exec(migration.sql);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count, started_at)
           VALUES (?, ?, strftime('%Y-%m-%d %H:%M:%f','now'), ?, 1, strftime('%Y-%m-%d %H:%M:%f','now'))`,
        ).run(randomUUID(), migration.checksum, migration.name);
      })();
      applied.push(migration.name);
    }
    return applied;
  } finally {
    db.close();
  }
}
