// `npm run migrate`: applies pending migrations to the configured database
// (`npm run migrate -- --down` undoes the last batch).
import { ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/database.ts';
import { migrateToLatest, rollbackLast } from '../platform/migrate.ts';

try {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, shareRunning: true });
  try {
    const down = process.argv.includes('--down');
    const names = down ? await rollbackLast(database.db) : await migrateToLatest(database.db);
    console.log(names.length === 0 ? 'Nothing to do: the database is up to date.' : `${down ? 'Undid' : 'Applied'}: ${names.join(', ')}`);
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
