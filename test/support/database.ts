import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knex from 'knex';
import { openDatabase, type Database } from '../../server/platform/database.ts';
import { startEmbeddedPostgres } from '../../server/platform/embedded/start.ts';
import { migrateToLatest } from '../../server/platform/migrate.ts';

/** The variable through which the test runner hands every test file its shared embedded server. */
export const EMBEDDED_URL_VARIABLE = 'FACTDESK_TEST_EMBEDDED_URL';

export interface TestDatabase extends Database {
  schema: string;
}

/**
 * A clean, migrated database for one test file: a fresh schema on the
 * PostgreSQL server named by TEST_DATABASE_URL, or else on the embedded server
 * that the test runner started once for the whole run (a file run on its own
 * starts its own). Both engines run the same tests the same way.
 */
export async function createTestDatabase(options: { poolMax?: number; idleTimeoutMillis?: number } = {}): Promise<TestDatabase> {
  const url = await testDatabaseUrl();
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE SCHEMA ${schema}`);
  const database = await openDatabase({ url, schema, poolMax: options.poolMax ?? 10, ...(options.idleTimeoutMillis ? { idleTimeoutMillis: options.idleTimeoutMillis } : {}) });
  await migrateToLatest(database.db);
  return {
    ...database,
    kind: onServer() ? 'server' : 'embedded',
    schema,
    async close() {
      await database.close();
      await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
      await admin.destroy();
    },
  };
}

let own: Promise<string> | undefined;

/**
 * The server the tests' schemas live on: TEST_DATABASE_URL, or the test
 * runner's embedded server, or (a file run on its own) an embedded server of
 * this process's own, stopped and deleted when the process exits.
 */
export function testDatabaseUrl(): Promise<string> {
  const given = process.env.TEST_DATABASE_URL || process.env[EMBEDDED_URL_VARIABLE];
  if (given) return Promise.resolve(given);
  own ??= startOwnEmbedded().then((server) => {
    process.on('exit', () => rmSync(server.dataDir, { recursive: true, force: true }));
    return server.url;
  });
  return own;
}

/** Starts an embedded server in a temporary folder that is deleted when it stops. */
export async function startOwnEmbedded(): Promise<{ url: string; dataDir: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'factdesk-test-db-'));
  try {
    const server = await startEmbeddedPostgres(dataDir);
    return {
      url: server.url,
      dataDir,
      async stop() {
        try {
          await server.stop();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Which engine the tests run on, for messages that name it. */
export const onServer = (): boolean => Boolean(process.env.TEST_DATABASE_URL);
