import { closeExtraction } from './reports/extract.ts';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { openDatabase, type Database } from './platform/database.ts';
import { createHttpServer } from './platform/http-server.ts';
import { createLogger } from './platform/logging.ts';
import { prepareDatabase, type PreparedDatabase } from './platform/prepare-database.ts';
import { sessionSecrets } from './platform/session-secret.ts';
import { QueueFeed } from './review/live.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';

/** Starts Factdesk: config, database, migrations, HTTP; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const logger = createLogger(config.logLevel, { pretty: config.nodeEnv === 'development' && process.stdout.isTTY === true });

  let database: Database;
  try {
    database = await openDatabase({ url: config.databaseUrl, ownerUrl: config.databaseMigrationUrl, dataDir: config.dataDir, logger });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    const reason = (err as Error).message || String(err);
    if (config.databaseUrl) fail(`DATABASE_URL points to a PostgreSQL server that cannot be reached (${reason})`);
    fail(`DATA_DIR ${config.dataDir} cannot hold the embedded database (${reason})`);
  }

  let prepared: PreparedDatabase;
  let secrets: string[];
  try {
    prepared = await prepareDatabase(database);
    secrets = await sessionSecrets(database.db, config);
  } catch (err) {
    logger.error({ err }, 'migrations failed');
    await database.close().catch(() => undefined);
    const reason = (err as Error).message.split('\n').pop()?.trim();
    const refused = (err as { code?: string }).code === '42501' && !database.ownerUrl;
    const owner = refused ? '; DATABASE_URL is a role that cannot change the schema: give the owner in DATABASE_MIGRATION_URL' : '';
    fail(`the database migrations failed (${reason})${owner}`);
  }
  if (prepared.applied.length > 0) logger.info({ migrations: prepared.applied }, `applied ${prepared.applied.length} migration(s)`);
  if (prepared.warning) logger.warn(prepared.warning);

  for (const notice of database.notices) logger.warn(notice);
  // Queue pages get pushed updates through LISTEN/NOTIFY (on both engines: the embedded one is a real PostgreSQL server).
  const feed = new QueueFeed(database.url, logger);
  await feed.start().catch((err: unknown) => logger.warn({ err }, 'queue feed unavailable; queue pages will poll'));
  const app = createApp({ db: database.db, config, logger, feed, sessionSecrets: secrets });
  const server = createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`PORT ${config.port} is already in use by another program`) : err),
    );
    server.listen(config.port, resolve);
  }).catch((err: unknown) => {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  });
  // Webhook deliveries go out from every process: each claims its own with SKIP LOCKED (server/webhooks/dispatcher.ts).
  const dispatcher = new WebhookDispatcher({ db: database.db, baseUrl: config.baseUrl, rules: config.outbound, logger, pollMs: config.webhookPollMs });
  dispatcher.start();
  // Handlers go in before the "running" line: whoever reads it may signal at once,
  // and until a handler exists the signal's default action ends the process mid-way.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    shutdown(server, database, feed, dispatcher)
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, database: database.kind },
    `Factdesk is running on http://localhost:${port} (${database.kind === 'embedded' ? `embedded PostgreSQL, data in ${config.dataDir}` : 'PostgreSQL server'})`,
  );
}

/**
 * Stops sending webhooks (a sending in flight is abandoned and its delivery
 * given back for another process or the next start), stops accepting
 * connections, lets in-flight requests finish (up to 3 s), then closes the
 * database.
 */
async function shutdown(server: Server, database: Database, feed: QueueFeed | undefined, dispatcher: WebhookDispatcher): Promise<void> {
  await dispatcher.stop();
  await feed?.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 3_000);
  await closed;
  clearTimeout(timer);
  await closeExtraction();
  await database.close();
}

function fail(message: string): never {
  process.stderr.write(`Factdesk cannot start. ${message}\n`);
  process.exit(1);
}

await main();
