import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { quoteIdent, readHeader, type Query } from './catalog.ts';
import { SESSION_SETTINGS, type DumpSummary, type TablePlan } from './format.ts';
import { BackupWriter } from './writer.ts';

/** Where a dump reads from, inside a transaction it has already begun: the catalog and each table's COPY text. */
export interface DumpSource {
  query: Query;
  /** The table's rows in COPY text format, in chunks. */
  copyOut(table: TablePlan): AsyncIterable<Buffer>;
}

/** The SQL that sends a table's stored columns as COPY text. */
export function copyColumns(table: TablePlan): string {
  return `${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')})`;
}

/**
 * Takes a consistent logical backup of the app's tables in the connection's
 * current schema into `out`, while the app keeps running.
 * One REPEATABLE READ, READ ONLY transaction: every table is read as of one
 * moment. The client is left outside any transaction, on failure too; `out`
 * is ended when the backup is complete, and destroyed when it fails.
 */
export async function dumpDatabase(client: pg.Client, out: Writable): Promise<DumpSummary> {
  const query: Query = async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];
  // The writer first: it listens for `out` failing (a file that cannot be opened) from the start.
  const writer = new BackupWriter(out);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  } catch (err) {
    writer.abort(err as Error);
    throw err;
  }
  try {
    for (const setting of SESSION_SETTINGS) await client.query(setting);
    const summary = await writeBackup({ query, copyOut: (table) => copyRows(client, table) }, writer);
    await client.query('COMMIT');
    return summary;
  } catch (err) {
    writer.abort(err as Error);
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Writes the whole backup from a source: header, each table's rows, trailer (and ends the output). */
export async function writeBackup(source: DumpSource, writer: BackupWriter): Promise<DumpSummary> {
  const header = await readHeader(source.query);
  await writer.header(header);
  const rowsByTable: Record<string, number> = {};
  for (const table of header.tables) {
    await writer.table(table.name);
    let rows = 0;
    for await (const chunk of source.copyOut(table)) {
      rows += countLines(chunk);
      await writer.rows(chunk);
    }
    await writer.endTable();
    rowsByTable[table.name] = rows;
  }
  const bytes = await writer.finish(rowsByTable);
  const rows = Object.values(rowsByTable).reduce((a, b) => a + b, 0);
  return { tables: header.tables.length, rows, bytes, rowsByTable, migrations: header.migrations };
}

/**
 * A table's COPY text from the server, as the socket delivers it: reading
 * waits for the writer, and the server waits for the socket. When the writer
 * gives up halfway, the rest is read and dropped, so the connection finishes
 * the COPY and can roll back instead of being left mid-protocol.
 */
async function* copyRows(client: pg.Client, table: TablePlan): AsyncGenerator<Buffer> {
  const copy = client.query(copyTo(`COPY ${copyColumns(table)} TO STDOUT`));
  let complete = false;
  try {
    for await (const chunk of copy.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
    complete = true;
  } finally {
    if (!complete && !copy.destroyed) {
      copy.resume();
      await finished(copy).catch(() => undefined);
    }
  }
}

function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}
