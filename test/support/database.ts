import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knex from 'knex';
import { openDatabase, type Database } from '../../server/platform/database.ts';
import { startEmbeddedPostgres } from '../../server/platform/embedded/start.ts';
import { grantRuntimeRights } from '../../server/platform/db-roles.ts';
import { migrateToLatest } from '../../server/platform/migrate.ts';

/** The variable through which the test runner hands every test file its shared embedded server. */
export const EMBEDDED_URL_VARIABLE = 'FACTDESK_TEST_EMBEDDED_URL';

export interface TestDatabase extends Database {
  schema: string;
  /**
   * The same schema as a runtime role of its own, with exactly the rights the
   * app gets in production (server/platform/db-roles.ts): the app under test
   * serves its requests through it, while `db` (the owner) sets tests up.
   */
  runtime: Database;
  runtimeRole: string;
  /** The runtime role's connection string (its schema is given to openDatabase apart). */
  runtimeUrl: string;
}

/**
 * A clean, migrated database for one test file: a fresh schema on the
 * PostgreSQL server named by TEST_DATABASE_URL, or else on the embedded server
 * that the test runner started once for the whole run (a file run on its own
 * starts its own). Both engines run the same tests the same way.
 */
export async function createTestDatabase(options: { poolMax?: number; idleTimeoutMillis?: number } = {}): Promise<TestDatabase> {
  const empty = await createEmptySchema();
  const pool = { poolMax: options.poolMax ?? 10, ...(options.idleTimeoutMillis ? { idleTimeoutMillis: options.idleTimeoutMillis } : {}) };
  const database = await openDatabase({ url: empty.ownerUrl, schema: empty.schema, ...pool });
  await migrateToLatest(database.db);
  await grantRuntimeRights(database.db, empty.runtimeRole);
  const runtime = await openDatabase({ url: empty.runtimeUrl, schema: empty.schema, ...pool });
  return {
    ...database,
    kind: onServer() ? 'server' : 'embedded',
    schema: empty.schema,
    runtime,
    runtimeRole: empty.runtimeRole,
    runtimeUrl: empty.runtimeUrl,
    async close() {
      await runtime.close();
      await database.close();
      await empty.drop();
    },
  };
}

export interface EmptySchema {
  schema: string;
  /** A superuser's connection string (the tests' owner), working in the schema. */
  ownerUrl: string;
  /** A login role of the schema's own, with no rights yet, working in the schema. */
  runtimeRole: string;
  runtimeUrl: string;
  /** Drops the schema and the role. */
  drop(): Promise<void>;
}

/**
 * A new, empty schema on the test server and a runtime role for it; both
 * connection strings name the schema (search_path), so a Factdesk process
 * started with them works in it as it would in its own database.
 */
export async function createEmptySchema(): Promise<EmptySchema> {
  const url = await testDatabaseUrl();
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const runtimeRole = `${schema}_app`;
  const password = randomBytes(18).toString('base64url');
  const admin = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE SCHEMA ${schema}`);
  await admin.raw(`CREATE ROLE ${runtimeRole} LOGIN PASSWORD '${password}'`);
  const inSchema = (u: string) => {
    const withPath = new URL(u);
    withPath.searchParams.set('options', `-c search_path=${schema}`);
    return withPath.toString();
  };
  return {
    schema,
    ownerUrl: inSchema(url),
    runtimeRole,
    runtimeUrl: inSchema(withRole(url, runtimeRole, password)),
    async drop() {
      await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
      await admin.raw(`DROP OWNED BY ${runtimeRole}; DROP ROLE ${runtimeRole}`);
      await admin.destroy();
    },
  };
}

/** The connection string `url` with another role and password. */
export function withRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
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
