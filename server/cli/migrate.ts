// `npm run migrate`: applies pending migrations to the configured database as
// its owner (DATABASE_MIGRATION_URL when DATABASE_URL is the runtime role) and
// gives the runtime role its rights; `npm run migrate -- --down` undoes the
// last batch.
import { ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase, openKnex } from '../platform/database.ts';
import { rollbackLast } from '../platform/migrate.ts';
import { prepareDatabase } from '../platform/prepare-database.ts';

try {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, ownerUrl: config.databaseMigrationUrl, dataDir: config.dataDir, shareRunning: true });
  try {
    if (process.argv.includes('--down')) {
      const owner = database.ownerUrl ? openKnex(database.ownerUrl) : database.db;
      try {
        const names = await rollbackLast(owner);
        console.log(names.length === 0 ? 'Nothing to undo.' : `Undid: ${names.join(', ')}`);
      } finally {
        if (owner !== database.db) await owner.destroy();
      }
    } else {
      const { applied, warning } = await prepareDatabase(database);
      console.log(applied.length === 0 ? 'Nothing to do: the database is up to date.' : `Applied: ${applied.join(', ')}`);
      if (warning) console.log(`Note: ${warning}`);
    }
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
