import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Lists migrations/ in name order and imports each file itself, so the same
 * TypeScript migrations run under tsx in the app, the tests and the CLI.
 */
class FolderMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return readdirSync(MIGRATIONS_DIR)
      .filter((file) => /^\d{14}_[a-z0-9_]+\.ts$/.test(file))
      .sort();
  }
  getMigrationName(file: string): string {
    return file;
  }
  async getMigration(file: string): Promise<Knex.Migration> {
    const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as MigrationModule;
    return { up: mod.up, down: mod.down };
  }
}

/** Applies every migration not yet applied; returns the names it ran. */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: new FolderMigrationSource() })) as [number, string[]];
  return applied;
}

/** The names of the migrations this version of Factdesk knows, in the order they run. */
export async function knownMigrations(): Promise<string[]> {
  return new FolderMigrationSource().getMigrations();
}

/** Runs one named migration up or down (a restore brings an empty database to a backup's exact list this way). */
export async function migrateOne(db: Knex, name: string, direction: 'up' | 'down'): Promise<void> {
  const config = { migrationSource: new FolderMigrationSource(), name };
  await (direction === 'up' ? db.migrate.up(config) : db.migrate.down(config));
}

/** Undoes the last batch of migrations (for `npm run migrate -- --down`). */
export async function rollbackLast(db: Knex): Promise<string[]> {
  const [, undone] = (await db.migrate.rollback({ migrationSource: new FolderMigrationSource() })) as [number, string[]];
  return undone;
}

/** The migrations this version knows that the database has not applied; a read, so the runtime role may ask. */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const known = await knownMigrations();
  const { rows } = await db.raw<{ rows: { present: boolean }[] }>(`SELECT to_regclass('knex_migrations') IS NOT NULL AS present`);
  if (!rows[0]?.present) return known;
  const done = new Set(((await db('knex_migrations').select('name')) as { name: string }[]).map((r) => r.name));
  return known.filter((name) => !done.has(name));
}

/**
 * Runs `work` (the migrations, the runtime role's rights) while this
 * connection holds PostgreSQL's advisory lock for the schema. Processes that
 * start together on an empty database take turns: one migrates, the others
 * wait, then find nothing left to do. (knex's own lock is a row in a table
 * that the first migration creates, so it cannot order that creation.)
 * `db` needs a pool of two or more: the lock holds one connection.
 */
export async function withMigrationLock<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  const key = `hashtext('factdesk migrations'), hashtext(current_schema())`;
  const conn = (await db.client.acquireConnection()) as unknown;
  try {
    await db.raw(`SELECT pg_advisory_lock(${key})`).connection(conn);
    try {
      return await work();
    } finally {
      await db.raw(`SELECT pg_advisory_unlock(${key})`).connection(conn);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}
