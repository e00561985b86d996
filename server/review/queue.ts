import { recordEvent } from '../audit/events.ts';
import { applyClaimFilters, type ClaimFilterValues } from '../claims/claim-filters.ts';
import { CLAIM_COLUMNS, CLAIM_JOINS, type Claim } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../platform/pagination.ts';
import { isAuthorOf, isReviewer, type Actor, type Role } from '../platform/policies.ts';
import { suggestConfidence, type Suggestion } from '../sources/confidence.ts';
import { withEvidenceOf } from '../sources/evidence.repo.ts';
import type { EvidenceSummary } from '../sources/evidence-summary.ts';
import { notifyQueueChange, QUEUE_CHANNEL } from './live.ts';

export type QueueItem = Claim & { evidence: EvidenceSummary; suggestion: Suggestion };

/**
 * The review queue: claims in review, highest priority first, then the
 * longest waiting. Keyset pagination on (priority, submitted_at, id).
 */
export async function listQueue(db: Db, filters: ClaimFilterValues, actor: Actor, options: { after?: string | null; limit?: number } = {}): Promise<{ items: QueueItem[]; next: string | null }> {
  const limit = options.limit ?? 50;
  const q = db
    .from(db.raw(`claims c ${CLAIM_JOINS}`))
    .select(db.raw(CLAIM_COLUMNS))
    .select(db.raw(`to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`))
    .where('c.status', 'in_review');
  applyClaimFilters(q, { ...filters, status: [] }, actor);
  const cursor = decodeCursor(options.after, ['int', 'timestamp', 'int']);
  if (cursor) {
    const [p, at, id] = cursor;
    q.whereRaw('(c.priority < ? OR (c.priority = ? AND (c.submitted_at, c.id) > (?::timestamptz, ?)))', [p, p, at, id]);
  }
  const rows = (await q.orderByRaw('c.priority DESC, c.submitted_at ASC, c.id ASC').limit(limit + 1)) as (Claim & { cursor_at: string })[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const withEvidence = await withEvidenceOf(db, page.map(({ cursor_at: _c, ...row }) => row));
  return {
    items: withEvidence.map(({ evidenceFacts, ...row }) => ({ ...row, suggestion: suggestConfidence(evidenceFacts) })),
    next: rows.length > limit && last ? encodeCursor([last.priority, last.cursor_at, last.id]) : null,
  };
}

/**
 * How long claims have been waiting in review: under an hour, under a day,
 * longer. Only the last day's claims are counted, by an index range; the
 * total comes from the kept status counts, so a long queue costs no more.
 */
export async function queueAges(db: Db): Promise<{ underHour: number; underDay: number; older: number; total: number }> {
  const { rows } = await db.raw<{ rows: { underHour: number; underDay: number; total: number }[] }>(
    `SELECT (SELECT count(*) FROM claims WHERE status = 'in_review' AND submitted_at > now() - interval '1 hour')::int AS "underHour",
            (SELECT count(*) FROM claims WHERE status = 'in_review' AND submitted_at > now() - interval '1 day')::int AS "underDay",
            coalesce((SELECT n FROM claim_status_counts WHERE status = 'in_review'), 0)::int AS total`,
  );
  const { underHour, underDay, total } = rows[0] ?? { underHour: 0, underDay: 0, total: 0 };
  return { underHour, underDay: underDay - underHour, older: Math.max(0, total - underDay), total };
}

/**
 * Assigns the next unassigned claim in review that the reviewer did not
 * write, in queue order. SKIP LOCKED: reviewers pressing at the same moment
 * each get a different claim, never the same one. One statement does the
 * assignment, its event and the queue notification, so it is atomic without
 * a transaction of several round trips. Null when none is left.
 */
export async function takeNext(db: Db, actor: Actor): Promise<number | null> {
  const data = JSON.stringify({ assigneeId: actor.id, assigneeName: actor.displayName, self: true });
  const { rows } = await db.raw<{ rows: { id: number }[] }>(
    `WITH taken AS (
       UPDATE claims c SET assignee_id = :me
        WHERE c.id = (
          SELECT id FROM claims
           WHERE status = 'in_review' AND assignee_id IS NULL AND NOT (:me = ANY (authors))
           ORDER BY priority DESC, submitted_at ASC, id ASC
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
       RETURNING c.id)
     INSERT INTO claim_events (claim_id, actor_id, type, data)
     SELECT id, :me, 'assigned', :data::jsonb FROM taken
     RETURNING claim_id AS id, pg_notify(:channel, claim_id::text)`,
    { me: actor.id, data, channel: QUEUE_CHANNEL },
  );
  return rows[0]?.id ?? null;
}

/**
 * Assigns a claim in review to a reviewer, or releases it (assignee null).
 * `expected` is the assignee the user saw: if it changed meanwhile, 409.
 */
export async function assignClaim(db: Db, actor: Actor, claimId: number, assigneeId: number | null, expected: number | null): Promise<void> {
  await db.transaction(async (trx) => {
    const claim = (await trx('claims').select('id', 'status', 'assignee_id', 'authors').where({ id: claimId }).forUpdate().first()) as
      | { id: number; status: string; assignee_id: number | null; authors: number[] }
      | undefined;
    if (!claim) throw new NotFoundError();
    if (claim.status !== 'in_review') throw new ConflictError('Only claims in review can be assigned.', undefined, 'not_in_review');
    if (claim.assignee_id !== expected) {
      throw new ConflictError('Someone else assigned or released this claim meanwhile. Look at who has it now and try again.', undefined, 'stale_assignment');
    }
    let assigneeName: string | null = null;
    if (assigneeId !== null) {
      const assignee = (await trx('users').select('id', 'role', 'disabled', 'display_name').where({ id: assigneeId }).first()) as
        | { id: number; role: Role; disabled: boolean; display_name: string }
        | undefined;
      if (!assignee || assignee.disabled || !isReviewer(assignee)) {
        throw new ValidationError({ assignee: 'Choose an enabled reviewer.' });
      }
      if (isAuthorOf(assignee, { authors: claim.authors })) {
        throw new ValidationError({ assignee: `${assignee.display_name} wrote or edited this claim, so they cannot review it. Choose another reviewer.` });
      }
      assigneeName = assignee.display_name;
    }
    await trx('claims').where({ id: claimId }).update({ assignee_id: assigneeId });
    await recordEvent(trx, { claimId, actorId: actor.id, type: 'assigned', data: { assigneeId, assigneeName, self: assigneeId === actor.id } });
    await notifyQueueChange(trx, claimId);
  });
}

/** Enabled reviewers and admins who may review a claim (none of its authors), for the assign picker. */
export async function eligibleReviewers(db: Db, authors: number[]): Promise<{ id: number; displayName: string }[]> {
  return (await db('users')
    .select('id', 'display_name as displayName')
    .whereIn('role', ['reviewer', 'admin'])
    .where({ disabled: false })
    .whereNotIn('id', authors)
    .orderByRaw('lower(display_name)')) as { id: number; displayName: string }[];
}
