/**
 * The Factdesk backup format, version 1: a gzip stream of lines (UTF-8, each
 * ended by "\n"), written and read one table at a time, so neither end ever
 * holds more than a chunk of it in memory.
 *
 *   FACTDESK BACKUP 1                     magic line: what the file is, and the format version
 *   {"format":1,"createdAt":...}          the header: one line of JSON (BackupHeader below)
 *   TABLE users                           then for each table of the header, in the header's order
 *   1	ana@example.org	Ana	...            (parents before the tables that refer to them):
 *   2	rui@example.org	Rui	...              its rows in PostgreSQL's COPY text format, one per line,
 *   \.                                      the header's columns in order; then the line `\.`
 *   TABLE reports
 *   ...
 *   END {"rows":{"users":2,...}}          the trailer: how many rows each table holds
 *
 * COPY text escapes tabs, newlines and backslashes inside values, so a row is
 * always one line and no row can read as `\.`. Values are written with
 * DateStyle ISO, IntervalStyle postgres, TimeZone UTC and UTF-8 (SESSION_SETTINGS),
 * and read back with the same settings.
 *
 * The header names the applied knex migrations in order (the schema the rows
 * fit), every table with its stored columns (generated columns are left out
 * and computed again on restore; knex's own tables are not in the data), and
 * each sequence's state. A file without its END line, or whose gzip stream
 * ends early, was cut short and is refused; so is one whose row counts differ
 * from the trailer's.
 */
import { z } from 'zod';

export const MAGIC = 'FACTDESK BACKUP';
export const FORMAT_VERSION = 1;
/** The line that ends a table's rows (as in psql's COPY input). */
export const END_OF_ROWS = '\\.';
export const TABLE_PREFIX = 'TABLE ';
export const TRAILER_PREFIX = 'END ';

/** The settings a dump and a restore both run with, so COPY text reads back as it was written. */
export const SESSION_SETTINGS = [
  "SET LOCAL DateStyle = 'ISO, MDY'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL TimeZone = 'UTC'",
  'SET LOCAL extra_float_digits = 3',
  "SET LOCAL bytea_output = 'hex'",
];

const name = z.string().min(1).max(63);

export const BackupHeaderSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  createdAt: z.string(),
  /** The server the backup was taken from, e.g. "PostgreSQL 18.6 (PGlite 0.5.14)". */
  source: z.string(),
  /** The applied knex migrations, in the order they ran. */
  migrations: z.array(z.string()),
  tables: z.array(z.object({ name, columns: z.array(name).min(1) })),
  sequences: z.array(
    z.object({
      name,
      /** The table and column the sequence numbers (identity or serial), when it has one. */
      table: name.nullable(),
      column: name.nullable(),
      lastValue: z.string().regex(/^-?\d+$/),
      isCalled: z.boolean(),
    }),
  ),
});

export type BackupHeader = z.infer<typeof BackupHeaderSchema>;
export type TablePlan = BackupHeader['tables'][number];
export type SequenceState = BackupHeader['sequences'][number];

export const TrailerSchema = z.object({ rows: z.record(z.string(), z.number().int().nonnegative()) });

/** What a dump wrote. */
export interface DumpSummary {
  tables: number;
  rows: number;
  /** Bytes written to the output (compressed). */
  bytes: number;
  rowsByTable: Record<string, number>;
  /** The migrations the backup was made at. */
  migrations: string[];
}

/** What a restore loaded. */
export interface RestoreSummary {
  tables: number;
  rows: number;
  /** Bytes read from the input (compressed). */
  bytes: number;
  rowsByTable: Record<string, number>;
  /** When and from what the backup was made. */
  createdAt: string;
  source: string;
  /** The migrations the backup was made at, which the target was brought to before loading. */
  migrations: string[];
  /** Migrations applied after loading, to bring the restored data up to this version of Factdesk. */
  migratedAfter: string[];
  /** How triggers were kept from firing: replica mode (superuser), or each table's user triggers disabled. */
  triggers: 'replica' | 'disabled';
}
