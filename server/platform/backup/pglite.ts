// Reading the data folder of the embedded PGlite database that Factdesk used
// before it ran a real PostgreSQL server: the folder is opened with PGlite
// itself and written out as an ordinary backup, which restoreDatabase then
// loads into the new server.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { quoteIdent, type Query } from './catalog.ts';
import { writeBackup } from './dump.ts';
import { BackupError } from './errors.ts';
import { BackupWriter } from './writer.ts';
import { SESSION_SETTINGS, type DumpSummary, type TablePlan } from './format.ts';

/**
 * PGlite hands a COPY back as one blob in memory, so a table is read in
 * ranges of this many heap pages (8 kB each): memory stays at a few MB of
 * rows at a time, plus any large values those rows hold out of line.
 */
export const PAGES_PER_CHUNK = 256;

/**
 * Writes a backup (the same format as dumpDatabase) of the app's tables in
 * schema `public` of a PGlite data folder. It only reads, in one READ ONLY
 * transaction. The caller must make sure no Factdesk runs on the folder
 * meanwhile (hold its lock: lockDataDir in data-dir-lock.ts); PGlite itself
 * has no lock, and a second writer would corrupt it. `out` is ended when the
 * backup is complete, and destroyed when it fails.
 */
export async function dumpPgliteFolder(dir: string, out: Writable): Promise<DumpSummary> {
  const writer = new BackupWriter(out);
  let pglite: PGlite;
  try {
    // Without this check PGlite would create a new, empty database in the folder.
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      throw new BackupError('not_a_pglite_folder', `${dir} holds no embedded Factdesk database (no PG_VERSION file). Check the path (DATA_DIR/pgdata).`);
    }
    // The extensions the newer migrations make, in case a folder has them (PGlite needs their code to read such tables).
    pglite = await PGlite.create({ dataDir: dir, extensions: { pg_trgm, unaccent } });
  } catch (err) {
    writer.abort(err as Error);
    throw err;
  }
  try {
    const query: Query = async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows;
    await pglite.exec('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await pglite.exec('SET LOCAL search_path TO public');
    for (const setting of SESSION_SETTINGS) await pglite.exec(setting);
    const summary = await writeBackup({ query, copyOut: (table) => copyRows(pglite, query, table) }, writer);
    await pglite.exec('COMMIT');
    return summary;
  } catch (err) {
    writer.abort(err as Error);
    throw err;
  } finally {
    // Closing ends the read-only transaction if a failure left it open.
    await pglite.close();
  }
}

/** A table's COPY text, a range of heap pages at a time (a TID range scan reads just those pages). */
async function* copyRows(pglite: PGlite, query: Query, table: TablePlan): AsyncGenerator<Buffer> {
  const [size] = await query<{ pages: number }>(
    `SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int)::int AS pages`,
    [quoteIdent(table.name)],
  );
  const pages = size?.pages ?? 0;
  const columns = table.columns.map(quoteIdent).join(', ');
  for (let first = 0; first < pages; first += PAGES_PER_CHUNK) {
    const last = first + PAGES_PER_CHUNK;
    const result = await pglite.query(
      `COPY (SELECT ${columns} FROM ${quoteIdent(table.name)} WHERE ctid >= '(${first},0)'::tid AND ctid < '(${last},0)'::tid) TO '/dev/blob'`,
    );
    if (result.blob && result.blob.size > 0) yield Buffer.from(await result.blob.arrayBuffer());
  }
}
