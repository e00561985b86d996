// The one transaction that loads a backup's rows into an empty, migrated
// database with its triggers kept from firing, so the rows the triggers keep
// (the per-status counts) arrive as they were and nothing is counted twice.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { foreignKeys, listTables, quoteIdent, type Query } from './catalog.ts';
import { copyColumns } from './dump.ts';
import { BackupError, damagedBackup, truncatedBackup } from './errors.ts';
import { SESSION_SETTINGS, TABLE_PREFIX, TRAILER_PREFIX, TrailerSchema, type BackupHeader, type TablePlan } from './format.ts';
import type { BackupReader } from './reader.ts';
import { refuseUnlessEmpty, SEEDED_TABLES } from './target.ts';

export interface Loaded {
  rowsByTable: Record<string, number>;
  triggers: 'replica' | 'disabled';
}

/**
 * Loads every table of the backup in one transaction and sets the sequences;
 * anything wrong in the file (cut short, counts that differ) rolls it all back.
 */
export async function loadTables(client: pg.Client, reader: BackupReader, header: BackupHeader): Promise<Loaded> {
  const query: Query = async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];
  await client.query('BEGIN');
  try {
    for (const setting of SESSION_SETTINGS) await client.query(setting);
    await refuseUnlessEmpty(query);
    await checkTables(query, header.tables);
    const triggers = await keepTriggersQuiet(client);
    if (triggers === 'disabled') await checkLoadOrder(query, header.tables);
    for (const table of header.tables) {
      if (SEEDED_TABLES.includes(table.name)) await client.query(`DELETE FROM ${quoteIdent(table.name)}`);
      if (triggers === 'disabled') await client.query(`ALTER TABLE ${quoteIdent(table.name)} DISABLE TRIGGER USER`);
    }
    const rowsByTable: Record<string, number> = {};
    for (const table of header.tables) rowsByTable[table.name] = await loadTable(client, reader, table);
    await checkTrailer(reader, rowsByTable);
    for (const s of header.sequences) {
      await client.query('SELECT setval(coalesce(pg_get_serial_sequence($1, $2), $3)::regclass, $4::bigint, $5::boolean)', [
        s.table === null ? null : quoteIdent(s.table),
        s.column,
        quoteIdent(s.name),
        s.lastValue,
        s.isCalled,
      ]);
    }
    if (triggers === 'disabled') {
      for (const table of header.tables) await client.query(`ALTER TABLE ${quoteIdent(table.name)} ENABLE TRIGGER USER`);
    }
    await client.query('COMMIT');
    return { rowsByTable, triggers };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Replica mode keeps every trigger quiet, foreign keys' included, for this
 * transaction only; only a superuser may set it. Otherwise each table's own
 * triggers are disabled inside the transaction (nobody else ever sees them
 * off) and the foreign keys are checked row by row.
 */
async function keepTriggersQuiet(client: pg.Client): Promise<'replica' | 'disabled'> {
  await client.query('SAVEPOINT replica');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query('RELEASE SAVEPOINT replica');
    return 'replica';
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    await client.query('ROLLBACK TO SAVEPOINT replica');
    return 'disabled';
  }
}

async function loadTable(client: pg.Client, reader: BackupReader, table: TablePlan): Promise<number> {
  const marker = await reader.line();
  if (marker === null) throw truncatedBackup();
  if (marker !== `${TABLE_PREFIX}${table.name}`) {
    if (marker.startsWith(TRAILER_PREFIX)) throw truncatedBackup();
    throw damagedBackup(`expected the rows of ${table.name}, found "${marker.slice(0, 80)}"`);
  }
  let read = 0;
  const copy = client.query(copyFrom(`COPY ${copyColumns(table)} FROM STDIN`));
  await pipeline(Readable.from(reader.rows((n) => (read += n)), { objectMode: false }), copy);
  if (copy.rowCount !== read) throw damagedBackup(`${table.name} has ${read} lines but the database loaded ${copy.rowCount} rows`);
  return read;
}

async function checkTrailer(reader: BackupReader, rowsByTable: Record<string, number>): Promise<void> {
  const line = await reader.line();
  if (line === null) throw truncatedBackup();
  if (!line.startsWith(TRAILER_PREFIX)) throw damagedBackup(`expected the END line, found "${line.slice(0, 80)}"`);
  let trailer;
  try {
    trailer = TrailerSchema.parse(JSON.parse(line.slice(TRAILER_PREFIX.length)));
  } catch {
    throw damagedBackup('its END line is not readable');
  }
  for (const [name, rows] of Object.entries(rowsByTable)) {
    if (trailer.rows[name] !== rows) throw damagedBackup(`${name} has ${rows} rows where the backup says ${trailer.rows[name] ?? 'none'}`);
  }
  // The rest of the stream must be empty; reading it to its end also checks gzip's own checksum.
  const after = await reader.line();
  if (after !== null) throw damagedBackup('there is more after its END line');
}

/** Every table and column of the backup must be in the target, which now has the backup's migrations. */
async function checkTables(query: Query, tables: TablePlan[]): Promise<void> {
  const target = new Map((await listTables(query)).map((t) => [t.name, new Set(t.columns)]));
  for (const table of tables) {
    const columns = target.get(table.name);
    const missing = columns ? table.columns.filter((c) => !columns.has(c)) : ['(the whole table)'];
    if (missing.length > 0) {
      throw new BackupError(
        'schema_mismatch',
        `The backup's table ${table.name} does not fit the database migrated to the backup's migrations (missing: ${missing.join(', ')}). Nothing was restored.`,
      );
    }
  }
}

/** With foreign keys checked row by row, parents must come before the tables that refer to them. */
async function checkLoadOrder(query: Query, tables: TablePlan[]): Promise<void> {
  const position = new Map(tables.map((t, i) => [t.name, i]));
  for (const { child, parent } of await foreignKeys(query)) {
    const c = position.get(child);
    const p = position.get(parent);
    if (c !== undefined && p !== undefined && child !== parent && p > c) {
      throw new BackupError('schema_mismatch', `The backup holds ${child} before ${parent}, which it refers to; restore it as a superuser (replica mode).`);
    }
  }
}
