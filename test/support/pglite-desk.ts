import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Express } from 'express';
import knex, { type Knex } from 'knex';
import type pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/platform/config.ts';
import { migrateToLatest } from '../../server/platform/migrate.ts';

/** The settings the test apps run with (the session secret is shared, so a cookie works on both sides). */
export function testConfig(): Config {
  return loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-config-check', BASE_URL: 'http://factdesk.test', LOG_LEVEL: 'silent' });
}

/** A desk on an embedded PGlite data folder, running until close(). */
export interface PgliteDesk {
  app: Express;
  db: Knex;
  close(): Promise<void>;
}

/**
 * A PGlite data folder opened with the extensions the migrations make (the
 * repeat matcher's pg_trgm and unaccent), so a desk on it migrates to the
 * latest as the tests' upgrades expect; Factdesk reads such folders with
 * them too (server/platform/backup/pglite.ts).
 */
export function openPglite(dir: string): Promise<PGlite> {
  return PGlite.create({ dataDir: dir, extensions: { pg_trgm, unaccent } });
}

/**
 * Factdesk on a PGlite data folder the way the embedded database has run it
 * (server/platform/embedded.ts and database.ts before the move to a
 * PostgreSQL server process): PGlite keeping its files in `dir`, served on a
 * loopback port by PGLiteSocketServer to a knex 'pg' pool of one connection
 * that starts each connection with DEALLOCATE ALL; migrated to the latest.
 * Written out here so these tests keep making such folders after the app
 * stops doing so.
 */
export async function openPgliteDesk(dir: string): Promise<PgliteDesk> {
  mkdirSync(dir, { recursive: true });
  const pglite = await openPglite(dir);
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const db = knex({
    client: 'pg',
    connection: { connectionString: `postgres://postgres@${server.getServerConn()}/postgres`, application_name: 'factdesk' },
    pool: {
      min: 0,
      max: 1,
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query('DEALLOCATE ALL; SET jit = off').then(() => done(null, conn), (err: Error) => done(err, conn));
      },
    },
    acquireConnectionTimeout: 30_000,
  });
  await migrateToLatest(db);
  const app = createApp({ db, config: testConfig(), logger: pino({ level: 'silent' }) });
  return {
    app,
    db,
    async close() {
      await db.destroy();
      await server.stop();
      await pglite.close();
    },
  };
}
