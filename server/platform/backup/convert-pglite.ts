import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import knex from 'knex';
import pg from 'pg';
import { lockDataDir } from '../data-dir-lock.ts';
import type { ConvertPglite } from '../embedded/start.ts';
import { restoreDatabase } from './restore.ts';

/**
 * The first start after the upgrade from PGlite: the old folder's tables are
 * written out as a backup file beside it and restored into the new cluster
 * (which is put in place only once this succeeds); the file goes, the old
 * folder stays until the person deletes it.
 */
export const convertPgliteFolder: ConvertPglite = (legacyDir) => async (url) => {
  const file = path.join(path.dirname(legacyDir), `.pglite-conversion-${process.pid}.backup`);
  // An older Factdesk still running on the folder holds this lock: PGlite opened twice corrupts it.
  const lock = lockDataDir(legacyDir);
  try {
    // PGlite is loaded only here: no other start needs it.
    const { dumpPgliteFolder } = await import('./pglite.ts');
    await dumpPgliteFolder(legacyDir, createWriteStream(file, { mode: 0o600 }));
    const db = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    const client = new pg.Client({ connectionString: url, application_name: 'factdesk-conversion' });
    await client.connect();
    try {
      await restoreDatabase({ db, client, input: createReadStream(file) });
    } finally {
      await client.end();
      await db.destroy();
    }
  } finally {
    rmSync(file, { force: true });
    lock.release();
  }
};
