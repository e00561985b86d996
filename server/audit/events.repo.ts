import type { Knex } from 'knex';
import type { Db } from '../platform/database.ts';

/**
 * The claim history (claim_events): the one way rows enter it. The database
 * refuses UPDATE and DELETE on the table; every feature that changes a claim
 * records what it did through these functions, in the same transaction.
 * Statuses are stored as the claims feature names them (claims/statuses.ts);
 * this room sits below claims and keeps them as plain text.
 */

export const EVENT_TYPES = [
  'created', 'edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition', 'assigned', 'reanchored', 'source_changed', 'rechecked', 'relabelled',
  'repeat_linked', 'repeat_unlinked', 'source_merged',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  claimId: number;
  actorId: number | null;
  type: EventType;
  action?: string;
  from?: string;
  to?: string;
  comment?: string | null;
  data?: Record<string, unknown>;
}

/** Appends one event to a claim's history (call it inside the transaction that made the change). */
export async function recordEvent(trx: Db, event: NewEvent): Promise<void> {
  await trx('claim_events').insert(toRow(event));
}

/** Appends several events at once (a report revision re-anchoring many claims). */
export async function recordEvents(trx: Db, events: NewEvent[]): Promise<void> {
  if (events.length > 0) await trx('claim_events').insert(events.map(toRow));
}

/**
 * Appends one event per row of `subject`, in one statement however many rows
 * that is. `subject` yields `claim_id`, and may be the UPDATE … RETURNING that
 * made the change, so the change and its events are one statement; any other
 * column it yields joins `data` (per claim). Returns the claims recorded, in
 * claim id order, when `returnIds` asks (a wide source change records events
 * for many thousand claims and needs none of their ids back).
 */
export async function recordEventsFrom(
  trx: Db,
  props: { actorId: number; type: EventType; data: Record<string, unknown>; subject: Knex.Raw | Knex.QueryBuilder; returnIds?: boolean },
): Promise<number[]> {
  const { rows } = await trx.raw<{ rows: { claim_id: number }[] }>(
    `WITH subject AS (?)
     INSERT INTO claim_events (claim_id, actor_id, type, data)
     SELECT s.claim_id, ?, ?, ?::jsonb || (to_jsonb(s) - 'claim_id') FROM subject s ORDER BY s.claim_id${props.returnIds ? ' RETURNING claim_id' : ''}`,
    [props.subject, props.actorId, props.type, JSON.stringify(props.data)],
  );
  return (rows ?? []).map((r) => r.claim_id);
}

function toRow(e: NewEvent) {
  return {
    claim_id: e.claimId,
    actor_id: e.actorId,
    type: e.type,
    action: e.action ?? null,
    from_status: e.from ?? null,
    to_status: e.to ?? null,
    comment: e.comment ?? null,
    data: JSON.stringify(e.data ?? {}),
  };
}

/** One entry of a claim's timeline: an event or a comment, with who and when. */
export interface TimelineEntry {
  kind: 'event' | 'comment' | 'export';
  id: number;
  type: string;
  action: string | null;
  from: string | null;
  to: string | null;
  comment: string | null;
  data: Record<string, unknown>;
  actorName: string | null;
  at: Date;
}

/**
 * A claim's history and comments in one list, oldest first. The one read
 * across the three append-only history tables (events, comments, the export
 * log), in one query so the order is the database's; their rows are written
 * by their own repositories.
 */
export async function claimTimeline(db: Db, claimId: number): Promise<TimelineEntry[]> {
  const { rows } = await db.raw<{ rows: (Omit<TimelineEntry, 'from' | 'to'> & { from_status: string | null; to_status: string | null })[] }>(
    `SELECT 'event' AS kind, e.id, e.type, e.action, e.from_status, e.to_status, e.comment, e.data, u.display_name AS "actorName", e.created_at AS at
       FROM claim_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.claim_id = :claimId
     UNION ALL
     SELECT 'comment', c.id, 'comment', NULL, NULL, NULL, c.body, '{}'::jsonb, u.display_name, c.created_at
       FROM comments c JOIN users u ON u.id = c.author_id
      WHERE c.claim_id = :claimId
     UNION ALL
     SELECT 'export', x.id, 'exported', x.format, NULL, NULL, NULL, jsonb_build_object('format', x.format, 'rows', x.row_count, 'completed', x.completed), u.display_name, x.created_at
       FROM export_log x JOIN users u ON u.id = x.actor_id
      WHERE x.claim_ids @> ARRAY[:claimId]::integer[]
     ORDER BY at, kind, id`,
    { claimId },
  );
  return rows.map(({ from_status, to_status, ...rest }) => ({ ...rest, from: from_status, to: to_status }));
}

/** A change counter for the review queue: the newest event's id, which moves whenever any claim changes. */
export async function latestEventId(db: Db): Promise<number> {
  const row = (await db('claim_events').max('id as stamp').first()) as { stamp: number | null } | undefined;
  return Number(row?.stamp ?? 0);
}

/** Decisions per day (UTC) over the last `days` days, by the status each ended in, oldest day first, every day present. */
export async function decisionsPerDay<S extends string>(db: Db, props: { days: number; statuses: readonly S[] }): Promise<{ day: string; counts: Record<S, number> }[]> {
  const { days, statuses } = props;
  const rows = (await db('claim_events')
    .select(db.raw(`to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day`), 'to_status')
    .count('* as n')
    .where('type', 'transition')
    .whereIn('to_status', [...statuses])
    // Midnight UTC of the first day, as a timestamptz: independent of the session's time zone.
    .where('created_at', '>=', db.raw(`((now() AT TIME ZONE 'UTC')::date - ?::int + 1)::timestamp AT TIME ZONE 'UTC'`, [days]))
    .groupBy('day', 'to_status')) as { day: string; to_status: S; n: number }[];
  const result: { day: string; counts: Record<S, number> }[] = [];
  const today = new Date();
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i)).toISOString().slice(0, 10);
    result.push({ day: d, counts: Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number> });
  }
  for (const r of rows) {
    const entry = result.find((e) => e.day === r.day);
    if (entry) entry.counts[r.to_status] = Number(r.n);
  }
  return result;
}
