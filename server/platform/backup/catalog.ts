// What a backup needs to know of a schema, read from pg_catalog with plain
// SQL, so the same queries serve a PostgreSQL server (pg) and PGlite.
import { FORMAT_VERSION, type BackupHeader, type SequenceState, type TablePlan } from './format.ts';

/** Runs one SQL statement and returns its rows (a pg.Client or a PGlite behind one signature). */
export type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/** knex's bookkeeping: recreated by the migrations, never part of the data. */
export const KNEX_TABLES = ['knex_migrations', 'knex_migrations_lock'];

/** An identifier quoted for SQL ("claims", "odd""name"). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The tables of the current schema (knex's left out) with their stored columns, parents before children. */
export async function listTables(query: Query): Promise<TablePlan[]> {
  const rows = await query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> ALL ($1::text[])
      ORDER BY c.relname, a.attnum`,
    [KNEX_TABLES],
  );
  const columns = new Map<string, string[]>();
  for (const row of rows) columns.set(row.table, [...(columns.get(row.table) ?? []), row.column]);
  const order = foreignKeyOrder([...columns.keys()], await foreignKeys(query));
  return order.map((name) => ({ name, columns: columns.get(name) ?? [] }));
}

/** The foreign keys between tables of the current schema: which table refers to which. */
export async function foreignKeys(query: Query): Promise<{ child: string; parent: string }[]> {
  return query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent
       FROM pg_constraint k
       JOIN pg_class ch ON ch.oid = k.conrelid
       JOIN pg_class pa ON pa.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace
      WHERE k.contype = 'f' AND n.nspname = current_schema()
      ORDER BY 1, 2`,
  );
}

/**
 * The tables in an order that loads parents before the tables that refer to
 * them (name order among equals). A table's references to itself are left
 * out; a cycle between tables, which this schema does not have, ends the
 * ordering with the tables of the cycle in name order.
 */
export function foreignKeyOrder(tables: string[], edges: { child: string; parent: string }[]): string[] {
  const pending = new Set([...tables].sort());
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of edges) {
    if (child === parent || !pending.has(child) || !pending.has(parent)) continue;
    parents.set(child, (parents.get(child) ?? new Set()).add(parent));
  }
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter((t) => [...(parents.get(t) ?? [])].every((p) => !pending.has(p)));
    const next = ready.length > 0 ? ready : [...pending];
    for (const t of next) {
      order.push(t);
      pending.delete(t);
    }
  }
  return order;
}

/** Each sequence of the current schema with the column it numbers and its state now. */
export async function listSequences(query: Query): Promise<SequenceState[]> {
  const sequences = await query<{ name: string; table: string | null; column: string | null }>(
    `SELECT s.relname AS name, t.relname AS table, a.attname AS column
       FROM pg_class s
       JOIN pg_namespace n ON n.oid = s.relnamespace
       LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
            AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       LEFT JOIN pg_class t ON t.oid = d.refobjid
       LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE s.relkind = 'S' AND n.nspname = current_schema()
      ORDER BY s.relname`,
  );
  const states: SequenceState[] = [];
  for (const s of sequences) {
    const [state] = await query<{ lastValue: string; isCalled: boolean }>(
      `SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${quoteIdent(s.name)}`,
    );
    if (state) states.push({ ...s, lastValue: state.lastValue, isCalled: state.isCalled });
  }
  return states;
}

/** The knex migrations applied to the current schema, in the order they ran (none when knex never ran). */
export async function appliedMigrations(query: Query): Promise<string[]> {
  const [found] = await query<{ exists: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = current_schema() AND c.relname = 'knex_migrations') AS exists`,
  );
  if (!found?.exists) return [];
  const rows = await query<{ name: string }>('SELECT name FROM knex_migrations ORDER BY id');
  return rows.map((r) => r.name);
}

/** The header of a backup of the current schema, read inside the dump's transaction. */
export async function readHeader(query: Query): Promise<BackupHeader> {
  const [server] = await query<{ version: string }>('SELECT version() AS version');
  // The tables first: their query takes the transaction's snapshot, and every
  // sequence read after it is at least as far on as the rows the snapshot sees.
  const tables = await listTables(query);
  return {
    format: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    source: (server?.version ?? 'PostgreSQL').split(' on ')[0] ?? 'PostgreSQL',
    migrations: await appliedMigrations(query),
    tables,
    sequences: await listSequences(query),
  };
}
