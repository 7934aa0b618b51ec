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

/** The SQLite file of DATABASE_URL (file:...), or data/lab.db. */
export function sqlitePath(env = process.env) {
  const url = env.DATABASE_URL;
  if (url && !url.startsWith('file:')) {
    throw new Error(`DATABASE_URL=${url.split(':')[0]}:... is not supported yet: the lab stores its records in SQLite (file:...)`);
  }
  const file = url ? url.slice('file:'.length) : path.join('data', 'lab.db');
  return path.resolve(root, file);
}

/** Runs `prisma generate` when lib/db/generated is missing or older than the schema. */
export function ensurePrismaClient() {
  const schema = path.join(root, 'prisma', 'schema.prisma');
  const stamp = path.join(root, 'lib', 'db', 'generated', '.schema-hash');
  const hash = createHash('sha256').update(fs.readFileSync(schema)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  console.error('[setup] generating the Prisma client');
  // generate does not run the schema engine; it only insists that the file exists.
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
  if (result.status !== 0) throw new Error(`prisma generate exited with code ${result.status}`);
  fs.writeFileSync(stamp, hash);
}

/** Applies the migrations not yet applied to the SQLite database; returns their names. */
export async function migrate(env = process.env) {
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
    const done = new Set(db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL').all().map((row) => row.migration_name));
    const dir = path.join(root, 'prisma', 'migrations');
    const applied = [];
    for (const name of fs.readdirSync(dir).filter((entry) => fs.existsSync(path.join(dir, entry, 'migration.sql'))).sort()) {
      if (done.has(name)) continue;
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      db.transaction(() => {
        db.exec(sql);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count, started_at)
           VALUES (?, ?, strftime('%Y-%m-%d %H:%M:%f','now'), ?, 1, strftime('%Y-%m-%d %H:%M:%f','now'))`,
        ).run(randomUUID(), checksum, name);
      })();
      applied.push(name);
    }
    if (applied.length) console.error(`[setup] applied database migration(s): ${applied.join(', ')}`);
    return applied;
  } finally {
    db.close();
  }
}
