import path from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { convertPgliteFolder } from './backup/convert-pglite.ts';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.ts';
import { CLUSTER_DIR } from './embedded/data-folder.ts';
import { runningEmbeddedUrl, startEmbeddedPostgres, type ConvertPglite } from './embedded/start.ts';
import type { Logger } from './logging.ts';

// DATE columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// COUNT(*) and other int8 results: safe as numbers at any size this app reaches.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Db = Knex;

/** An open database: the knex handle, where it runs, how to reach it, and how to close it. */
export interface Database {
  db: Db;
  kind: 'server' | 'embedded';
  /** The connection string (for a second connection such as LISTEN, or a backup's own client). */
  url: string;
  /**
   * The owner role's connection, which migrates and gives the runtime role its
   * rights (server/platform/prepare-database.ts): DATABASE_MIGRATION_URL, or
   * the embedded server's own. Undefined when `url` is the owner itself.
   */
  ownerUrl: string | undefined;
  /** What opening it did that the person starting Factdesk should hear about. */
  notices: string[];
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL server; without it the embedded server keeps its data in dataDir. */
  url?: string | undefined;
  /** The owner's connection to that server, when `url` is a runtime role (DATABASE_MIGRATION_URL). */
  ownerUrl?: string | undefined;
  /** DATA_DIR, for the embedded server. */
  dataDir?: string | undefined;
  /** A tool run beside a running Factdesk (backups, new accounts) uses its server instead of being refused. */
  shareRunning?: boolean;
  /** Copies an old PGlite folder into the new cluster on the first start after an upgrade (by default through a backup). */
  convertPglite?: ConvertPglite | undefined;
  /** Connect as the owner (a restore, a backup, a new account from the command line), not as the runtime role. */
  asOwner?: boolean;
  /** Schema to work in (tests use a fresh one per file). */
  schema?: string | undefined;
  poolMax?: number;
  /** How long an unused connection stays open (tests shorten it to see reconnects). */
  idleTimeoutMillis?: number;
  /** Where knex's own warnings go (at debug level); without it they are dropped. */
  logger?: Logger | undefined;
}

/** Opens the database named by the options and proves it answers. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const urls = options.asOwner ? { url: options.ownerUrl ?? options.url, ownerUrl: undefined } : { url: options.url, ownerUrl: options.ownerUrl };
    return connect(options, urls, 'server', [], async () => undefined);
  }
  if (!options.dataDir) throw new Error('openDatabase needs a server URL or a data folder');
  let lock;
  try {
    lock = lockDataDir(path.join(options.dataDir, CLUSTER_DIR));
  } catch (err) {
    const running = err instanceof DataDirInUseError && options.shareRunning ? await runningEmbeddedUrl(options.dataDir) : undefined;
    if (!running) throw err;
    // A tool beside the running desk (a backup, a new account) works as the owner.
    return connect(options, { url: running, ownerUrl: undefined }, 'embedded', [], async () => undefined);
  }
  const held = lock;
  try {
    const embedded = await startEmbeddedPostgres(options.dataDir, { convertPglite: options.convertPglite ?? convertPgliteFolder });
    const urls = options.asOwner ? { url: embedded.url, ownerUrl: undefined } : { url: embedded.runtimeUrl, ownerUrl: embedded.url };
    return await connect(options, urls, 'embedded', embedded.notices, async () => {
      try {
        await embedded.stop();
      } finally {
        held.release();
      }
    });
  } catch (err) {
    held.release();
    throw err;
  }
}

async function connect(
  options: DatabaseOptions,
  { url, ownerUrl }: Pick<Database, 'url' | 'ownerUrl'>,
  kind: Database['kind'],
  notices: string[],
  stop: () => Promise<void>,
): Promise<Database> {
  const db = openKnex(url, options);
  try {
    await db.raw('select 1');
  } catch (err) {
    // Without destroy() the pool would keep the failed start-up's timers alive.
    await db.destroy().catch(() => undefined);
    await stop();
    throw err;
  }
  return {
    db,
    kind,
    url,
    ownerUrl,
    notices,
    async close() {
      try {
        await db.destroy();
      } finally {
        await stop();
      }
    },
  };
}

/** A knex pool on `url` with the app's settings; openDatabase's, and the owner's for the migrations. */
export function openKnex(url: string, options: Pick<DatabaseOptions, 'schema' | 'poolMax' | 'idleTimeoutMillis' | 'logger'> = {}): Knex {
  const log = (message: unknown) => options.logger?.debug({ knex: message instanceof Error ? message.message : message }, 'knex');
  const idle = options.idleTimeoutMillis;
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: 'factdesk' },
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      ...(idle ? { idleTimeoutMillis: idle, reapIntervalMillis: Math.min(1_000, idle) } : {}),
      // The pages' queries are short; PostgreSQL's JIT would spend longer compiling them than running them.
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query('SET jit = off').then(() => done(null, conn), (err: Error) => done(err, conn));
      },
    },
    acquireConnectionTimeout: 30_000,
    // Knex writes its warnings, stack traces and all, straight to stdout; the
    // app says what went wrong in its own words, so knex's go to the debug log.
    log: { warn: log, error: log, debug: log, deprecate: log },
    ...(options.schema ? { searchPath: [options.schema] } : {}),
  });
}
