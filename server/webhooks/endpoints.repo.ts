import type { Db } from '../platform/database.ts';
import type { WebhookEvent } from './events.ts';

/** A registered endpoint, as the admin pages show it (never its secret). */
export interface WebhookEndpoint {
  id: number;
  url: string;
  events: WebhookEvent[];
  enabled: boolean;
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdBy: number;
  createdByName: string;
  createdAt: Date;
}

/** An endpoint in the list, with its last attempt and how many of its deliveries are failing or dead. */
export interface EndpointSummary extends WebhookEndpoint {
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastState: string | null;
  failing: number;
  dead: number;
}

const COLUMNS = `e.id, e.url, e.events, e.enabled, e.consecutive_failures AS "consecutiveFailures", e.disabled_at AS "disabledAt",
  e.disabled_reason AS "disabledReason", e.created_by AS "createdBy", u.display_name AS "createdByName", e.created_at AS "createdAt"`;

/** Every endpoint, oldest first, with its latest attempt and its counts of failing and dead deliveries. */
export async function listEndpoints(db: Db): Promise<EndpointSummary[]> {
  const { rows } = await db.raw<{ rows: EndpointSummary[] }>(
    `SELECT ${COLUMNS}, last.last_attempt_at AS "lastAttemptAt", last.last_status AS "lastStatus", last.state AS "lastState",
            (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'failed') AS failing,
            (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'dead') AS dead
       FROM webhook_endpoints e
       JOIN users u ON u.id = e.created_by
       LEFT JOIN LATERAL (
         SELECT d.last_attempt_at, d.last_status, d.state FROM webhook_deliveries d
          WHERE d.endpoint_id = e.id AND d.last_attempt_at IS NOT NULL
          ORDER BY d.last_attempt_at DESC, d.id DESC LIMIT 1
       ) last ON true
      ORDER BY e.id`,
  );
  return rows;
}

/** One endpoint, or null. */
export async function findEndpoint(db: Db, id: number): Promise<WebhookEndpoint | null> {
  const { rows } = await db.raw<{ rows: WebhookEndpoint[] }>(`SELECT ${COLUMNS} FROM webhook_endpoints e JOIN users u ON u.id = e.created_by WHERE e.id = ?`, [id]);
  return rows[0] ?? null;
}

/** Saves a new endpoint, enabled; returns its id. */
export async function insertEndpoint(db: Db, endpoint: { url: string; events: WebhookEvent[]; secret: string; createdBy: number }): Promise<number> {
  const [row] = await db('webhook_endpoints')
    .insert({ url: endpoint.url, events: endpoint.events, secret: endpoint.secret, created_by: endpoint.createdBy })
    .returning('id');
  return (row as { id: number }).id;
}

/**
 * Enables an endpoint (its run of failures starts again from none) or
 * disables it with the reason; false when it was already so.
 */
export async function setEndpointEnabled(db: Db, id: number, change: { enabled: true } | { enabled: false; reason: string }): Promise<boolean> {
  const q = db('webhook_endpoints').where({ id, enabled: !change.enabled });
  const updated = change.enabled
    ? await q.update({ enabled: true, consecutive_failures: 0, disabled_at: null, disabled_reason: null })
    : await q.update({ enabled: false, disabled_at: db.fn.now(), disabled_reason: change.reason });
  return updated > 0;
}

/** Deletes an endpoint with its deliveries and their attempts; false when there was none. */
export async function deleteEndpoint(db: Db, id: number): Promise<boolean> {
  return (await db('webhook_endpoints').where({ id }).delete()) > 0;
}

/** A delivery went through: the endpoint's run of failures is over. */
export async function endpointSucceeded(db: Db, id: number): Promise<void> {
  await db('webhook_endpoints').where({ id }).where('consecutive_failures', '>', 0).update({ consecutive_failures: 0 });
}

/**
 * One more failed attempt in a row for the endpoint; at `limit` in a row it is
 * disabled with `reason` and the time. True when this failure disabled it.
 */
export async function endpointFailed(db: Db, id: number, props: { limit: number; reason: string; now: Date | null }): Promise<boolean> {
  const { rows } = await db.raw<{ rows: { disabled: boolean }[] }>(
    `UPDATE webhook_endpoints e
        SET consecutive_failures = e.consecutive_failures + 1,
            enabled = e.enabled AND e.consecutive_failures + 1 < :limit,
            disabled_at = CASE WHEN e.enabled AND e.consecutive_failures + 1 >= :limit THEN coalesce(CAST(:now AS timestamptz), now()) ELSE e.disabled_at END,
            disabled_reason = CASE WHEN e.enabled AND e.consecutive_failures + 1 >= :limit THEN :reason ELSE e.disabled_reason END
       FROM (SELECT id, enabled FROM webhook_endpoints WHERE id = :id FOR UPDATE) old
      WHERE e.id = old.id
      RETURNING old.enabled AND NOT e.enabled AS disabled`,
    { id, limit: props.limit, reason: props.reason, now: props.now },
  );
  return rows[0]?.disabled ?? false;
}
