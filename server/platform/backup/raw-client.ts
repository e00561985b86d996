import type { Knex } from 'knex';
import pg from 'pg';
import type { Database } from '../database.ts';
import { BackupError } from './errors.ts';

/**
 * A plain pg connection to the same database and schema as the open knex
 * handle (backups need one for COPY); the caller ends it.
 */
export async function rawClient(database: Pick<Database, 'db'>): Promise<pg.Client> {
  const config = (database.db.client as { config: Knex.Config }).config;
  const connection = config.connection;
  const connectionString =
    typeof connection === 'string'
      ? connection
      : connection && typeof connection === 'object' && 'connectionString' in connection
        ? connection.connectionString
        : undefined;
  if (!connectionString) {
    throw new BackupError('no_connection_string', 'The database handle has no connection string to open a backup connection with.');
  }
  const client = new pg.Client({ connectionString, application_name: 'factdesk-backup' });
  await client.connect();
  try {
    const searchPath = typeof config.searchPath === 'string' ? [config.searchPath] : (config.searchPath ?? []);
    if (searchPath.length > 0) await client.query(`SET search_path TO ${searchPath.map((s) => client.escapeIdentifier(s)).join(', ')}`);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}
