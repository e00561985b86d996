// The database a backup is restored into: it must hold no data, and it is
// brought to exactly the migrations the backup was made at before loading.
import type { Knex } from 'knex';
import { knownMigrations, migrateOne } from '../migrate.ts';
import { appliedMigrations, KNEX_TABLES, quoteIdent, type Query } from './catalog.ts';
import { BackupError } from './errors.ts';

/**
 * Tables whose rows the migrations themselves write: the per-status claim
 * counts (one row per status, kept by triggers on claims), the desk's
 * session secret and its starting verdict labels. A new database has them,
 * so they do not make it non-empty; a restore replaces them with the
 * backup's rows (so the sessions it carries stay signed in, and its claims
 * keep their labels).
 */
export const SEEDED_TABLES = ['claim_status_counts', 'app_secrets', 'verdict_labels'];

/** Refuses a target where any app table has rows: a restore never mixes two databases. */
export async function refuseUnlessEmpty(query: Query): Promise<void> {
  const tables = await query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> ALL ($1::text[]) ORDER BY 1`,
    [[...KNEX_TABLES, ...SEEDED_TABLES]],
  );
  if (tables.length === 0) return;
  const probes = tables.map((t, i) => `SELECT $${i + 1}::text AS name WHERE EXISTS (SELECT 1 FROM ${quoteIdent(t.name)})`);
  const filled = await query<{ name: string }>(probes.join(' UNION ALL '), tables.map((t) => t.name));
  if (filled.length === 0) return;
  throw new BackupError(
    'target_not_empty',
    `The database already holds data (in ${filled.map((t) => t.name).join(', ')}), and a restore never mixes two databases. ` +
      'Restore into an empty DATA_DIR (the embedded database) or a new, empty database (createdb), or drop and recreate this one first.',
  );
}

/**
 * Brings an empty target to exactly the backup's migrations, one at a time:
 * up for those it lacks, down (newest first) for those the backup was made
 * without. Refuses a backup with a migration this Factdesk does not know.
 */
export async function migrateTo(db: Knex, query: Query, wanted: string[]): Promise<{ up: string[]; down: string[] }> {
  const known = new Set(await knownMigrations());
  const newer = wanted.filter((name) => !known.has(name));
  if (newer.length > 0) {
    throw new BackupError(
      'newer_factdesk',
      `This backup was made by a newer Factdesk: it has ${newer.length === 1 ? 'a migration' : 'migrations'} this version does not know (${newer.join(', ')}). ` +
        'Upgrade Factdesk to the version that made the backup or a later one, then restore again.',
    );
  }
  const applied = await appliedMigrations(query);
  const strange = applied.filter((name) => !known.has(name));
  if (strange.length > 0) {
    throw new BackupError(
      'newer_factdesk',
      `The database was set up by a newer Factdesk (it has migrations this version does not know: ${strange.join(', ')}). ` +
        'Restore into a new, empty database or schema.',
    );
  }
  const down = applied.filter((name) => !wanted.includes(name)).reverse();
  const up = wanted.filter((name) => !applied.includes(name));
  for (const name of down) await migrateOne(db, name, 'down');
  for (const name of up) await migrateOne(db, name, 'up');
  return { up, down };
}
