import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { openDatabase, type Database } from '../../server/platform/database.ts';
import { migrateToLatest } from '../../server/platform/migrate.ts';

/**
 * A clean, migrated database for one test file: a fresh schema on the server
 * named by TEST_DATABASE_URL, or else a fresh in-memory embedded PostgreSQL.
 */
export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<Database & { url?: string; schema?: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const database = await openDatabase({});
    await migrateToLatest(database.db);
    return database;
  }
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE SCHEMA ${schema}`);
  const database = await openDatabase({ url, schema, poolMax: options.poolMax ?? 10 });
  await migrateToLatest(database.db);
  return {
    ...database,
    url,
    schema,
    async close() {
      await database.close();
      await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
      await admin.destroy();
    },
  };
}

/** Which engine the tests run on, for the rare test that only one of them can answer. */
export const onServer = (): boolean => Boolean(process.env.TEST_DATABASE_URL);
