// The Prisma client, one per process, on the SQLite file of DATABASE_URL (data/lab.db by default)
// through the better-sqlite3 driver adapter. Only lib/db/ calls Prisma.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import path from 'node:path';
import { PrismaClient } from './generated/client';

/** The SQLite file the lab records into. */
export function databaseFile(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL;
  if (url && !url.startsWith('file:')) throw new Error('DATABASE_URL must be a SQLite file (file:...) for now');
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), url ? url.slice('file:'.length) : path.join('data', 'lab.db'));
}

const holder = globalThis as unknown as { __labDb?: PrismaClient };

/** The process's Prisma client. */
export function db(): PrismaClient {
  holder.__labDb ??= new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${databaseFile()}` }) });
  return holder.__labDb;
}
