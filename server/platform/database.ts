import path from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';
import type { Logger } from './logging.ts';

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
  /** How long an unused connection stays open (tests shorten it to see reconnects). */
  idleTimeoutMillis?: number;
  /** Where knex's own warnings go (at debug level); without it they are dropped. */
  logger?: Logger | undefined;
}

interface PoolSettings {
  url: string;
  poolMax: number;
  schema: string | undefined;
  idleTimeoutMillis: number | undefined;
  logger: Logger | undefined;
  embedded: boolean;
}

/** Opens the database named by the options and proves it answers. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const common = { schema: options.schema, idleTimeoutMillis: options.idleTimeoutMillis, logger: options.logger };
  if (options.url) {
    const db = createKnex({ ...common, url: options.url, poolMax: options.poolMax ?? 10, embedded: false });
    await proveItAnswers(db, async () => undefined);
    return { db, kind: 'server', close: () => db.destroy() };
  }
  const lock = options.embeddedDir ? lockDataDir(options.embeddedDir) : null;
  let embedded: EmbeddedPostgres;
  try {
    embedded = await startEmbeddedPostgres(options.embeddedDir, 8);
  } catch (err) {
    lock?.release();
    throw err;
  }
  // One connection: PGlite runs one statement at a time, and the socket server
  // only keeps a connection's statements together inside a transaction.
  const db = createKnex({ ...common, url: embedded.url, poolMax: 1, embedded: true });
  await proveItAnswers(db, async () => {
    await embedded.stop();
    lock?.release();
  });
  return {
    db,
    kind: 'embedded',
    async close() {
      try {
        await db.destroy();
        await embedded.stop();
      } finally {
        lock?.release();
      }
    },
  };
}

async function proveItAnswers(db: Db, cleanUp: () => Promise<void>): Promise<void> {
  try {
    await db.raw('select 1');
  } catch (err) {
    // Without destroy() the pool would keep the failed start-up's timers alive.
    await db.destroy().catch(() => undefined);
    await cleanUp();
    throw err;
  }
}

function createKnex(settings: PoolSettings): Knex {
  // The embedded socket server serves every connection from one PGlite backend,
  // so a new connection inherits what an earlier one left behind, such as the
  // named prepared statements of the login throttle: a new pg client, knowing
  // none of them, would fail to prepare them again (42P05). Start it clean.
  const onConnect = settings.embedded ? 'DEALLOCATE ALL; SET jit = off' : 'SET jit = off';
  const log = (message: unknown) => settings.logger?.debug({ knex: message instanceof Error ? message.message : message }, 'knex');
  return knex({
    client: 'pg',
    connection: { connectionString: settings.url, application_name: 'factdesk' },
    pool: {
      min: 0,
      max: settings.poolMax,
      ...(settings.idleTimeoutMillis ? { idleTimeoutMillis: settings.idleTimeoutMillis, reapIntervalMillis: Math.min(1_000, settings.idleTimeoutMillis) } : {}),
      // The pages' queries are short; PostgreSQL's JIT would spend longer compiling them than running them.
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query(onConnect).then(() => done(null, conn), (err: Error) => done(err, conn));
      },
    },
    acquireConnectionTimeout: 30_000,
    // Knex writes its warnings, stack traces and all, straight to stdout; the
    // app says what went wrong in its own words, so knex's go to the debug log.
    log: { warn: log, error: log, debug: log, deprecate: log },
    ...(settings.schema ? { searchPath: [settings.schema] } : {}),
  });
}

/** The folder the embedded database keeps its files in. */
export function embeddedDataDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}
