import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type pg from 'pg';
import { migrateToLatest } from '../migrate.ts';
import type { Query } from './catalog.ts';
import { BackupError, truncatedBackup } from './errors.ts';
import { BackupHeaderSchema, FORMAT_VERSION, MAGIC, type BackupHeader, type RestoreSummary } from './format.ts';
import { loadTables } from './load.ts';
import { BackupReader } from './reader.ts';
import { migrateTo, refuseUnlessEmpty } from './target.ts';

export interface RestoreProps {
  /** The target database (knex runs the migrations through it). */
  db: Knex;
  /** A connection to the same database and schema as `db`, for COPY. */
  client: pg.Client;
  /** The backup file's bytes (gzip), as dumpDatabase or dumpPgliteFolder wrote them. */
  input: Readable;
}

/**
 * Restores a backup into an empty database: refuses one that holds data,
 * migrates it to exactly the backup's migrations, loads every table in one
 * transaction with triggers kept quiet, sets the sequences, commits, and then
 * migrates to this version's latest. A damaged or cut-short file loads nothing.
 */
export async function restoreDatabase(props: RestoreProps): Promise<RestoreSummary> {
  const { db, client, input } = props;
  const query: Query = async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];
  const reader = new BackupReader(input);
  try {
    const header = await readHeader(reader);
    await refuseUnlessEmpty(query);
    await migrateTo(db, query, header.migrations);
    const loaded = await loadTables(client, reader, header);
    const migratedAfter = await migrateToLatest(db);
    const rows = Object.values(loaded.rowsByTable).reduce((a, b) => a + b, 0);
    return {
      tables: header.tables.length,
      rows,
      bytes: reader.bytes,
      rowsByTable: loaded.rowsByTable,
      createdAt: header.createdAt,
      source: header.source,
      migrations: header.migrations,
      migratedAfter,
      triggers: loaded.triggers,
    };
  } finally {
    reader.close();
  }
}

/** The magic line and the header, checked before anything touches the database. */
async function readHeader(reader: BackupReader): Promise<BackupHeader> {
  const magic = await reader.line();
  if (magic === null) throw truncatedBackup();
  const version = magic.startsWith(`${MAGIC} `) ? Number(magic.slice(MAGIC.length + 1)) : NaN;
  if (!Number.isInteger(version)) throw new BackupError('not_a_backup', 'The file is not a Factdesk backup. Nothing was restored.');
  if (version > FORMAT_VERSION) {
    throw new BackupError('newer_format', `The backup is in format ${version}, which only a newer Factdesk reads. Upgrade Factdesk, then restore again.`);
  }
  const line = await reader.line();
  if (line === null) throw truncatedBackup();
  try {
    return BackupHeaderSchema.parse(JSON.parse(line));
  } catch {
    throw new BackupError('corrupt', 'The backup file is damaged: its header is not readable. Nothing was restored; use another copy of the backup.');
  }
}
