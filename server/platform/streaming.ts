import { once } from 'node:events';
import type { Knex } from 'knex';
import QueryStream from 'pg-query-stream';
import type { Db } from './database.ts';

interface PgConnection {
  query(stream: QueryStream): QueryStream;
}

/**
 * Rows of a query, read through a server-side cursor a batch at a time, so a
 * large export never holds every row in memory. The connection goes back to
 * the pool only once the cursor is closed (knex's own .stream() releases it
 * earlier, while the cursor is still being closed on it).
 */
export async function* streamRows<T>(db: Db, query: Knex.QueryBuilder, batchSize = 200): AsyncGenerator<T> {
  const { sql, bindings } = query.toSQL().toNative();
  const conn = (await db.client.acquireConnection()) as PgConnection;
  const stream = conn.query(new QueryStream(sql, bindings as unknown[], { batchSize }));
  try {
    for await (const row of stream) yield row as T;
  } finally {
    if (!stream.destroyed) stream.destroy();
    if (!stream.closed) await once(stream, 'close').catch(() => undefined);
    await db.client.releaseConnection(conn);
  }
}
