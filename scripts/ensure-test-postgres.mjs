// What the PostgreSQL tests need on this machine: a server with the test role and database.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { SetupError, canInstallDebianPackages, log, run, waitFor } from './setup-common.mjs';

/**
 * A PostgreSQL server for the tests that prove the lab on PostgreSQL too: Debian's, installed and
 * started where missing, with a role and database `lab_test`. Returns its DATABASE_URL.
 */
export async function ensureTestPostgres() {
  const url = 'postgresql://lab_test:lab_test@127.0.0.1:5432/lab_test';
  const { default: pg } = await import('pg');
  const answers = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  };
  if (await answers()) return url;
  if (!canInstallDebianPackages()) throw new SetupError(`the PostgreSQL tests need a server at ${url}`);
  if (!fs.existsSync('/usr/lib/postgresql')) {
    log("installing Debian's postgresql for the tests");
    run('apt-get', ['update', '-q']);
    run('apt-get', ['install', '-y', '-q', 'postgresql'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const version = fs.readdirSync('/usr/lib/postgresql').sort().at(-1);
  log(`starting PostgreSQL ${version} in the background`);
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  const sql = (statement) =>
    spawnSync('su', ['postgres', '-c', `psql -v ON_ERROR_STOP=0 -q -c "${statement}"`], { stdio: 'ignore' });
  sql("CREATE ROLE lab_test LOGIN PASSWORD 'lab_test'");
  sql('CREATE DATABASE lab_test OWNER lab_test');
  if (!(await waitFor(answers, 30_000, 500))) throw new SetupError(`PostgreSQL did not answer at ${url}`);
  return url;
}
