// The Prisma client, one per process: on the SQLite file of DATABASE_URL (data/lab.db by default)
// through the better-sqlite3 driver adapter, or on PostgreSQL (DATABASE_URL=postgres://...) through
// the pg adapter. Both clients come from schemas with the same models (a test compares them), so the
// SQLite client's type serves for both. Only lib/db/ calls Prisma.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import path from 'node:path';
import { config } from '../config';
import { PrismaClient } from './generated/client';
import { PrismaClient as PrismaClientPg } from './generated-pg/client';

/** True when DATABASE_URL names a PostgreSQL database. */
export function usesPostgres(url: string = config().DATABASE_URL): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** The SQLite file the lab records into (when not on PostgreSQL); the setting was validated as file:<path>. */
export function databaseFile(url: string = config().DATABASE_URL): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), url.slice('file:'.length));
}

const holder = globalThis as unknown as { __labDb?: PrismaClient };

/** The process's Prisma client. */
export function db(): PrismaClient {
  if (!holder.__labDb) {
    holder.__labDb = usesPostgres()
      ? (new PrismaClientPg({
          adapter: new PrismaPg({ connectionString: config().DATABASE_URL }),
        }) as unknown as PrismaClient)
      : new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${databaseFile()}` }) });
  }
  return holder.__labDb;
}
