import type { Db } from '../platform/database.ts';
import type { Status } from '../claims/statuses.ts';

export const EVENT_TYPES = [
  'created', 'edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition', 'assigned', 'reanchored', 'source_changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  claimId: number;
  actorId: number | null;
  type: EventType;
  action?: string;
  from?: Status;
  to?: Status;
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
  from: Status | null;
  to: Status | null;
  comment: string | null;
  data: Record<string, unknown>;
  actorName: string | null;
  at: Date;
}

/** A claim's history and comments in one list, oldest first. */
export async function claimTimeline(db: Db, claimId: number): Promise<TimelineEntry[]> {
  const { rows } = await db.raw<{ rows: (Omit<TimelineEntry, 'from' | 'to'> & { from_status: Status | null; to_status: Status | null })[] }>(
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
