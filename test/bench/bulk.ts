// Bulk loading for the benchmark data set: many rows per INSERT, one
// parameter per column (INSERT ... SELECT FROM unnest(...)), so a statement's
// size is bounded by bytes, not by PostgreSQL's 65,535-parameter limit. Works
// the same on a PostgreSQL server and on the embedded one (one statement
// per round trip, no COPY FROM STDIN needed).
import type { Knex } from 'knex';

/** A column's SQL type; array columns travel as text literals and are cast back. */
export type ColumnType = 'int' | 'bigint' | 'smallint' | 'text' | 'bool' | 'date' | 'timestamptz' | 'jsonb' | 'char' | 'int[]' | 'text[]';

export type Cell = string | number | boolean | Date | null;

/** A raw `pg` connection lent by knex's pool. */
export interface RawConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** Runs `work` on one pooled connection inside BEGIN/COMMIT (ROLLBACK on error). */
export async function withTransaction<T>(db: Knex, work: (conn: RawConnection) => Promise<T>): Promise<T> {
  const conn = (await db.client.acquireConnection()) as RawConnection;
  try {
    await conn.query('BEGIN');
    // Nothing here needs to survive a crash before the next checkpoint: skip the fsync wait.
    await conn.query('SET LOCAL synchronous_commit = off');
    const result = await work(conn);
    await conn.query('COMMIT');
    return result;
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/**
 * Runs `work` inside a bulk load's transaction with the database's guards on
 * decisions held off (a claim is born a draft; a transition event needs its
 * change of status): a made-up history arrives whole, as a restore's does.
 * The counting triggers stay on; the guards are on again before the commit.
 */
export async function withDecisionGuardsOff<T>(conn: RawConnection, work: () => Promise<T>): Promise<T> {
  await conn.query('ALTER TABLE claims DISABLE TRIGGER claims_guard');
  await conn.query('ALTER TABLE claims DISABLE TRIGGER claims_label_guard');
  await conn.query('ALTER TABLE claims DISABLE TRIGGER claims_recheck_guard');
  await conn.query('ALTER TABLE claim_events DISABLE TRIGGER claim_events_guard');
  const result = await work();
  await conn.query('ALTER TABLE claims ENABLE TRIGGER claims_guard');
  await conn.query('ALTER TABLE claims ENABLE TRIGGER claims_label_guard');
  await conn.query('ALTER TABLE claims ENABLE TRIGGER claims_recheck_guard');
  await conn.query('ALTER TABLE claim_events ENABLE TRIGGER claim_events_guard');
  return result;
}

const PARAM_TYPE: Record<ColumnType, string> = {
  int: 'integer[]',
  bigint: 'bigint[]',
  smallint: 'smallint[]',
  text: 'text[]',
  bool: 'boolean[]',
  date: 'date[]',
  timestamptz: 'timestamptz[]',
  jsonb: 'jsonb[]',
  char: 'text[]',
  'int[]': 'text[]',
  'text[]': 'text[]',
};

/** A PostgreSQL array literal for an array column value (sent as text, cast in SQL). */
export function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.map((v) => (typeof v === 'number' ? String(v) : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}

/**
 * Inserts rows (arrays of cells in column order) in statements of at most
 * `maxRows` rows or about `maxBytes` of text. Ids given by the caller need
 * `overriding` for GENERATED ALWAYS identity columns.
 */
export async function insertRows(
  conn: RawConnection,
  table: string,
  columns: readonly (readonly [name: string, type: ColumnType])[],
  rows: readonly Cell[][],
  options: { overriding?: boolean; maxRows?: number; maxBytes?: number } = {},
): Promise<void> {
  const maxRows = options.maxRows ?? 5000;
  const maxBytes = options.maxBytes ?? 8_000_000;
  const names = columns.map(([name]) => name);
  const selectList = columns.map(([name, type]) => (type === 'int[]' ? `u.${name}::integer[]` : type === 'text[]' ? `u.${name}::text[]` : type === 'char' ? `u.${name}::char(1)` : `u.${name}`));
  const sql = `INSERT INTO ${table} (${names.join(', ')})${options.overriding ? ' OVERRIDING SYSTEM VALUE' : ''}
    SELECT ${selectList.join(', ')} FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${PARAM_TYPE[type]}`).join(', ')}) AS u(${names.join(', ')})`;
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length && end - start < maxRows && bytes < maxBytes) {
      for (const cell of rows[end]!) bytes += typeof cell === 'string' ? cell.length : 8;
      end++;
    }
    const params = columns.map((_, c) => rows.slice(start, end).map((row) => row[c] ?? null));
    await conn.query(sql, params);
    start = end;
  }
}

/** The largest id in a table (0 when empty). */
export async function maxId(conn: RawConnection, table: string): Promise<number> {
  const { rows } = await conn.query(`SELECT coalesce(max(id), 0)::bigint AS max FROM ${table}`);
  return Number(rows[0]?.max ?? 0);
}

/** Moves a table's identity past the ids inserted by hand, so the app's own inserts do not collide. */
export async function restartIdentity(conn: RawConnection, table: string): Promise<void> {
  const next = (await maxId(conn, table)) + 1;
  await conn.query(`ALTER TABLE ${table} ALTER COLUMN id RESTART WITH ${next}`);
}
