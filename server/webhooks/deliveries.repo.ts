import type { Db } from '../platform/database.ts';
import type { WebhookEvent } from './events.ts';
import type { StoredPayload } from './signing.ts';

export type DeliveryState = 'pending' | 'failed' | 'delivered' | 'dead';

/** A delivery the dispatcher has claimed: what to send, where, and signed with what. */
export interface DueDelivery {
  id: number;
  endpointId: number;
  event: WebhookEvent;
  payload: StoredPayload;
  attempts: number;
  url: string;
  secret: string;
}

/** A delivery in an endpoint's log. */
export interface DeliveryRow {
  id: number;
  event: WebhookEvent;
  claimId: number;
  state: DeliveryState;
  attempts: number;
  /** Every attempt ever made, replays included. */
  attemptsMade: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastResponseMs: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** `now` for a statement: the clock a test gives, else the database's. */
const NOW = 'coalesce(CAST(:now AS timestamptz), now())';

/**
 * Claims up to `batch` deliveries that are due, of enabled endpoints, oldest
 * first, by moving their next attempt a lease ahead; one statement, committed
 * at once. Rows another process is claiming at the same moment are skipped
 * (FOR UPDATE SKIP LOCKED), and a claimed row is not due again until its
 * lease runs out, so several processes never send one delivery at once, and
 * a delivery whose sender died is sent again after the lease.
 */
export async function claimDue(db: Db, props: { now: Date | null; leaseSeconds: number; batch: number }): Promise<DueDelivery[]> {
  const { rows } = await db.raw<{ rows: DueDelivery[] }>(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.state IN ('pending', 'failed') AND d.next_attempt_at <= ${NOW} AND e.enabled
        ORDER BY d.next_attempt_at, d.id
        LIMIT :batch
        FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE webhook_deliveries d SET next_attempt_at = ${NOW} + make_interval(secs => :lease)
       FROM due, webhook_endpoints e
      WHERE d.id = due.id AND e.id = d.endpoint_id
      RETURNING d.id, d.endpoint_id AS "endpointId", d.event, d.payload, d.attempts, e.url, e.secret`,
    { now: props.now, batch: props.batch, lease: props.leaseSeconds },
  );
  return rows.sort((a, b) => a.id - b.id);
}

/** Gives a claimed delivery back at once (its sender is stopping before it had an answer). */
export async function releaseDelivery(db: Db, id: number): Promise<void> {
  await db.raw(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = ? AND state IN ('pending', 'failed')`, [id]);
}

/** What one attempt came to, written on its delivery: delivered, failed with a retry after `retryInSeconds`, or dead (null). */
export async function recordOutcome(
  db: Db,
  id: number,
  outcome: { delivered: boolean; retryInSeconds: number | null; status: number | null; responseMs: number | null; error: string | null; now: Date | null },
): Promise<void> {
  const state: DeliveryState = outcome.delivered ? 'delivered' : outcome.retryInSeconds === null ? 'dead' : 'failed';
  await db.raw(
    `UPDATE webhook_deliveries
        SET state = :state,
            attempts = attempts + 1,
            next_attempt_at = CASE WHEN :state IN ('pending', 'failed') THEN ${NOW} + make_interval(secs => :retry) END,
            last_attempt_at = ${NOW},
            last_status = :status,
            last_response_ms = :ms,
            last_error = :error,
            delivered_at = CASE WHEN :state = 'delivered' THEN ${NOW} ELSE delivered_at END
      WHERE id = :id`,
    { id, state, retry: outcome.retryInSeconds ?? 0, status: outcome.status, ms: outcome.responseMs, error: outcome.error, now: outcome.now },
  );
}

const LOG_COLUMNS = `d.id, d.event, (d.payload -> 'claim' ->> 'id')::integer AS "claimId", d.state, d.attempts,
  (SELECT count(*) FROM webhook_attempts a WHERE a.delivery_id = d.id) AS "attemptsMade",
  d.next_attempt_at AS "nextAttemptAt", d.last_attempt_at AS "lastAttemptAt", d.last_status AS "lastStatus",
  d.last_response_ms AS "lastResponseMs", d.last_error AS "lastError", d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"`;

/** An endpoint's deliveries, newest first, `limit` at a time from before the delivery `before` (keyset). */
export async function deliveriesOf(db: Db, endpointId: number, page: { before: number | null; limit: number }): Promise<DeliveryRow[]> {
  const { rows } = await db.raw<{ rows: DeliveryRow[] }>(
    `SELECT ${LOG_COLUMNS} FROM webhook_deliveries d
      WHERE d.endpoint_id = ? AND (CAST(? AS bigint) IS NULL OR d.id < ?)
      ORDER BY d.id DESC LIMIT ?`,
    [endpointId, page.before, page.before, page.limit],
  );
  return rows;
}

/** One delivery of an endpoint, or null. */
export async function findDelivery(db: Db, endpointId: number, id: number): Promise<DeliveryRow | null> {
  const { rows } = await db.raw<{ rows: DeliveryRow[] }>(`SELECT ${LOG_COLUMNS} FROM webhook_deliveries d WHERE d.endpoint_id = ? AND d.id = ?`, [endpointId, id]);
  return rows[0] ?? null;
}

/** Queues a delivery to be sent again at once, as a new round of attempts (the same id and body). */
export async function requeueDelivery(db: Db, id: number): Promise<void> {
  await db('webhook_deliveries').where({ id }).update({ state: 'pending', attempts: 0, next_attempt_at: db.fn.now() });
}
