import path from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded.ts';

// DATE columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// COUNT(*) and other int8 results: safe as numbers at any size this app reaches.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Db = Knex;

/** An open database: the knex handle, where it runs, and how to close it. */
export interface Database {
  db: Db;
  kind: 'server' | 'embedded';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL server; without it an embedded PGlite is started. */
  url?: string | undefined;
  /** Where the embedded database keeps its files; undefined keeps it in memory. */
  embeddedDir?: string | undefined;
  /** Schema to work in (tests use a fresh one per file). */
  schema?: string | undefined;
  poolMax?: number;
}

/** Opens the database named by the options and proves it answers. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const db = createKnex(options.url, options.poolMax ?? 10, options.schema);
    await db.raw('select 1');
    return { db, kind: 'server', close: () => db.destroy() };
  }
  const embedded = await startEmbeddedPostgres(options.embeddedDir, 8);
  // One connection: PGlite runs one statement at a time, and the socket server
  // only keeps a connection's statements together inside a transaction.
  const db = createKnex(embedded.url, 1, options.schema);
  try {
    await db.raw('select 1');
  } catch (err) {
    await embedded.stop();
    throw err;
  }
  return {
    db,
    kind: 'embedded',
    async close() {
      await db.destroy();
      await embedded.stop();
    },
  };
}

function createKnex(url: string, poolMax: number, schema: string | undefined): Knex {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: 'factdesk' },
    pool: {
      min: 0,
      max: poolMax,
      // The pages' queries are short; PostgreSQL's JIT would spend longer compiling them than running them.
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query('SET jit = off').then(() => done(null, conn), (err: Error) => done(err, conn));
      },
    },
    acquireConnectionTimeout: 30_000,
    ...(schema ? { searchPath: [schema] } : {}),
  });
}

/** The folder the embedded database keeps its files in. */
export function embeddedDataDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}
