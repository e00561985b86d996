import { grantRuntimeRights, roleStanding, standingWarning } from './db-roles.ts';
import { openKnex, type Database } from './database.ts';
import { migrateToLatest, pendingMigrations, withMigrationLock } from './migrate.ts';

export interface PreparedDatabase {
  /** The migrations this start applied. */
  applied: string[];
  /** One line to log when requests are served with more power than they need. */
  warning: string | null;
}

/**
 * Brings the database to this version of Factdesk before any request is
 * served, one process at a time (withMigrationLock). With an owner connection
 * (DATABASE_MIGRATION_URL, or the embedded server's own) the owner migrates
 * and gives the runtime role its rights; without one, the request connection
 * migrates itself, which only its tables' owner can, and is warned about.
 */
export async function prepareDatabase(database: Pick<Database, 'db' | 'ownerUrl'>, options: { schema?: string } = {}): Promise<PreparedDatabase> {
  let applied: string[] = [];
  if (database.ownerUrl) {
    const owner = openKnex(database.ownerUrl, { schema: options.schema, poolMax: 2 });
    try {
      const runtime = (await roleStanding(database.db)).role;
      applied = await withMigrationLock(owner, async () => {
        const names = await migrateToLatest(owner);
        if ((await roleStanding(owner)).role !== runtime) await grantRuntimeRights(owner, runtime);
        return names;
      });
    } finally {
      await owner.destroy();
    }
  } else if ((await pendingMigrations(database.db)).length > 0) {
    applied = await withMigrationLock(database.db, () => migrateToLatest(database.db));
  }
  return { applied, warning: standingWarning(await roleStanding(database.db)) };
}
