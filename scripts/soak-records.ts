// The records the soak holds the lab to once the runs are over: every draft reads back as last saved,
// and the database (read directly, after the server's clean stop) has a final status for every attempt.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../lib/db/generated/client';
import type { SoakJournal } from './soak-journal';
import type { SoakLearner } from './soak-learner';

/**
 * For each learner and exercise with drafts: what the server returns must be the content of the last
 * save it acknowledged, or of a later save whose answer was lost when the soak killed the server (it
 * may or may not have been written). Returns how many drafts were checked.
 */
export async function checkDrafts(learners: SoakLearner[], journal: SoakJournal): Promise<number> {
  const keys = [...new Set(journal.drafts.map((draft) => `${draft.learner} ${draft.exerciseId}`))];
  for (const key of keys) {
    const [index, exerciseId] = key.split(' ');
    const saves = journal.drafts.filter((draft) => `${draft.learner} ${draft.exerciseId}` === key);
    const lastSaved = saves.findLastIndex((draft) => draft.saved === true);
    const allowed = new Set(
      saves.filter((draft, i) => i === lastSaved || (i > lastSaved && draft.saved === undefined)).map((d) => d.content),
    );
    if (lastSaved < 0) allowed.add('null');
    const learner = learners[Number(index)];
    const response = await learner.request('GET', `/api/drafts?exerciseId=${encodeURIComponent(exerciseId)}`);
    const { files } = (await response.json()) as { files: unknown };
    const returned = JSON.stringify(files);
    if (!allowed.has(returned)) {
      const last = lastSaved >= 0 ? saves[lastSaved].content : 'no draft';
      journal.finding(
        `learner ${index} ${exerciseId}: the draft reads back as ${returned.slice(0, 160)}, last saved was ${last.slice(0, 160)}`,
      );
    }
  }
  return keys.length;
}

/** Attempts in the database by status, and the ids of all of them. */
export interface DatabaseAttempts {
  byStatus: Record<string, number>;
  ids: Set<string>;
}

/**
 * Reads the SQLite database the soak's servers shared, with a client of its own on that file (no
 * server runs any more; lib/db's client is the process's, on the process's DATABASE_URL).
 */
export async function attemptsInDatabase(file: string): Promise<DatabaseAttempts> {
  const client = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });
  try {
    const rows = await client.attempt.findMany({ select: { id: true, status: true } });
    const byStatus: Record<string, number> = {};
    for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    return { byStatus, ids: new Set(rows.map((row) => row.id)) };
  } finally {
    await client.$disconnect();
  }
}
