import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { rawClient } from '../../server/platform/backup/raw-client.ts';
import { openDatabase } from '../../server/platform/database.ts';
import { testDatabaseUrl } from './database.ts';

/** A database to restore into: knex for the migrations, a raw client for COPY, both in one schema. */
export interface Target {
  db: Knex;
  client: pg.Client;
  schema: string;
  close(): Promise<void>;
}

// The tests' server: TEST_DATABASE_URL or the embedded one of the test run.
const serverUrl = testDatabaseUrl;

async function adminRaw(sql: string): Promise<void> {
  const admin = knex({ client: 'pg', connection: await serverUrl(), pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}

/** A new, empty schema on the test server (no tables, no migrations), opened the way the app opens a database. */
export async function emptySchema(): Promise<Target> {
  const schema = `restore_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminRaw(`CREATE SCHEMA ${schema}`);
  const database = await openDatabase({ url: await serverUrl(), schema, poolMax: 4 });
  const client = await rawClient(database);
  return {
    db: database.db,
    client,
    schema,
    async close() {
      await client.end();
      await database.close();
      await adminRaw(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
}

/**
 * A new, empty schema owned by a new role that is not a superuser, with knex
 * and the raw client acting as that role: the restore cannot use replica mode.
 */
export async function emptySchemaOfPlainRole(): Promise<Target> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const role = `plain_${suffix}`;
  const schema = `restore_plain_${suffix}`;
  await adminRaw(`CREATE ROLE ${role} NOSUPERUSER NOLOGIN; CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
  const asRole = `SET ROLE ${role}; SET search_path TO ${schema}`;
  const db = knex({
    client: 'pg',
    connection: await serverUrl(),
    pool: {
      min: 0,
      max: 2,
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query(asRole).then(() => done(null, conn), (err: Error) => done(err, conn));
      },
    },
  });
  const client = new pg.Client({ connectionString: await serverUrl() });
  await client.connect();
  await client.query(asRole);
  return {
    db,
    client,
    schema,
    async close() {
      await client.end();
      await db.destroy();
      await adminRaw(`DROP SCHEMA ${schema} CASCADE; DROP ROLE ${role}`);
    },
  };
}

/** A Writable that keeps what it is given, taking `delayMs` over each chunk (a slow disk or network). */
export function memorySink(delayMs = 0): { out: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      if (delayMs > 0) setTimeout(done, delayMs);
      else done();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}
