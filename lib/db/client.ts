// The Prisma client, one per process: on the SQLite file of DATABASE_URL (data/lab.db by default)
// through the better-sqlite3 driver adapter, or on PostgreSQL (DATABASE_URL=postgres://...) through
// the pg adapter. Both clients come from schemas with the same models (a test compares them), so the
// SQLite client's type serves for both. Only lib/db/ calls Prisma.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import path from 'node:path';
import { PrismaClient } from './generated/client';
import { PrismaClient as PrismaClientPg } from './generated-pg/client';

/** True when DATABASE_URL names a PostgreSQL database. */
export function usesPostgres(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^postgres(ql)?:\/\//.test(env.DATABASE_URL ?? '');
}

/** The SQLite file the lab records into (when not on PostgreSQL). */
export function databaseFile(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL;
  if (url && !url.startsWith('file:')) throw new Error('DATABASE_URL must be file:... (SQLite) or postgres://... (PostgreSQL)');
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), url ? url.slice('file:'.length) : path.join('data', 'lab.db'));
}

const holder = globalThis as unknown as { __labDb?: PrismaClient };

/** The process's Prisma client. */
export function db(): PrismaClient {
  if (!holder.__labDb) {
    holder.__labDb = usesPostgres()
      ? (new PrismaClientPg({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }) }) as unknown as PrismaClient)
      : new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${databaseFile()}` }) });
  }
  return holder.__labDb;
}
