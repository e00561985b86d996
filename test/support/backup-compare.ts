import assert from 'node:assert/strict';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { appliedMigrations, listSequences, listTables, quoteIdent, type Query } from '../../server/platform/backup/catalog.ts';

/** Runs `COPY (select) TO ...` on one side and returns the COPY text. */
type CopyText = (select: string) => Promise<string>;

/** One side of a comparison: a PostgreSQL server connection or a PGlite. */
export interface Side {
  query: Query;
  copyText: CopyText;
}

/** Everything a restore must bring over, in a form two databases can be compared by. */
export interface Contents {
  /** Each table's rows as COPY text, every column (generated ones too), in primary key order. */
  tables: Record<string, string>;
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  migrations: string[];
}

/** A server connection as a side (its search_path names the schema). */
export async function serverSide(client: pg.Client): Promise<Side> {
  await client.query("SET TimeZone = 'UTC'");
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    copyText: async (select) => {
      const chunks: Buffer[] = [];
      for await (const chunk of client.query(copyTo(`COPY (${select}) TO STDOUT`))) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** A PGlite database (schema public) as a side. */
export async function pgliteSide(pglite: PGlite): Promise<Side> {
  await pglite.exec("SET TimeZone = 'UTC'");
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    copyText: async (select) => (await (await pglite.query(`COPY (${select}) TO '/dev/blob'`)).blob?.text()) ?? '',
  };
}

/** Reads a side's contents: every app table, sequence and applied migration. */
export async function contentsOf(side: Side): Promise<Contents> {
  const keys = new Map(
    (
      await side.query<{ table: string; key: string }>(
        `SELECT c.relname AS table, string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) AS key
           FROM pg_index i
           JOIN pg_class c ON c.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
          WHERE i.indisprimary AND n.nspname = current_schema()
          GROUP BY c.relname`,
      )
    ).map((r) => [r.table, r.key]),
  );
  const tables: Record<string, string> = {};
  for (const { name } of await listTables(side.query)) {
    const key = keys.get(name);
    assert.ok(key, `${name} has a primary key to order its rows by`);
    tables[name] = await side.copyText(`SELECT * FROM ${quoteIdent(name)} ORDER BY ${key}`);
  }
  const sequences = (await listSequences(side.query)).map(({ name, lastValue, isCalled }) => ({ name, lastValue, isCalled }));
  return { tables, sequences, migrations: await appliedMigrations(side.query) };
}

/** Asserts two databases hold the same rows, sequences and migrations, table by table. */
export function assertSameContents(actual: Contents, expected: Contents): void {
  assert.deepEqual(Object.keys(actual.tables).sort(), Object.keys(expected.tables).sort(), 'the same tables');
  for (const [name, text] of Object.entries(expected.tables)) {
    assert.equal(lines(actual.tables[name]), lines(text), `${name}: the same number of rows`);
    assert.equal(actual.tables[name], text, `${name}: the same rows`);
  }
  assert.deepEqual(actual.sequences, expected.sequences, 'the same sequences');
  assert.deepEqual(actual.migrations, expected.migrations, 'the same migrations');
}

/** How many rows each app table holds. */
export async function rowCounts(side: Side): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of await listTables(side.query)) {
    const [row] = await side.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(name)}`);
    counts[name] = Number(row?.n);
  }
  return counts;
}

/** Asserts every foreign key value has its row (a restore in replica mode does not check them itself). */
export async function assertNoOrphans(side: Side): Promise<void> {
  const keys = await side.query<{ child: string; column: string; parent: string; key: string }>(
    `SELECT ch.relname AS child, ca.attname AS column, pa.relname AS parent, pk.attname AS key
       FROM pg_constraint k
       JOIN pg_class ch ON ch.oid = k.conrelid
       JOIN pg_class pa ON pa.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace
       JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1]
       JOIN pg_attribute pk ON pk.attrelid = k.confrelid AND pk.attnum = k.confkey[1]
      WHERE k.contype = 'f' AND n.nspname = current_schema() AND cardinality(k.conkey) = 1`,
  );
  assert.ok(keys.length > 10, 'the schema has its foreign keys');
  for (const { child, column, parent, key } of keys) {
    const [row] = await side.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${quoteIdent(child)} c
        WHERE c.${quoteIdent(column)} IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${quoteIdent(parent)} p WHERE p.${quoteIdent(key)} = c.${quoteIdent(column)})`,
    );
    assert.equal(row?.n, '0', `${child}.${column} refers to rows of ${parent} that are not there`);
  }
}

const lines = (text: string | undefined) => (text ?? '').split('\n').length - 1;
