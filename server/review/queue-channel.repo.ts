import type pg from 'pg';
import type { Db } from '../platform/database.ts';

/** The PostgreSQL notification channel queue changes are announced on. */
export const QUEUE_CHANNEL = 'factdesk_queue';

/** Tells listeners (other app processes' queue pages) that the queue changed, when the transaction commits. */
export async function notifyQueueChange(trx: Db, claimId: number): Promise<void> {
  await trx.raw('SELECT pg_notify(?, ?)', [QUEUE_CHANNEL, String(claimId)]);
}

/** Starts listening for queue changes on a dedicated connection (the queue feed's). */
export async function listenForQueueChanges(client: pg.Client): Promise<void> {
  await client.query(`LISTEN ${QUEUE_CHANNEL}`);
}
