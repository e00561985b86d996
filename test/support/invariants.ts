import assert from 'node:assert/strict';
import type { Db } from '../../server/platform/database.ts';

/**
 * The workflow's invariants over the whole database: each claim's status is
 * the to-state of its last transition event (draft when it has none), no
 * decision was made by one of the claim's authors, and the kept per-status
 * counts match the claims.
 */
export async function assertWorkflowInvariants(db: Db): Promise<void> {
  const { rows: mismatched } = await db.raw<{ rows: { id: number; status: string; last: string | null }[] }>(`
    SELECT c.id, c.status, last.to_status AS last
      FROM claims c
      LEFT JOIN LATERAL (SELECT e.to_status FROM claim_events e WHERE e.claim_id = c.id AND e.type = 'transition' ORDER BY e.id DESC LIMIT 1) last ON true
     WHERE c.status <> coalesce(last.to_status, 'draft')`);
  assert.deepEqual(mismatched, [], 'a claim whose status is not the to-state of its last transition');
  // An author at the time of the decision: the claim's creator, or someone who
  // had changed its statement or quote before it (a later edit, after a
  // reopen, does not make an earlier decision self-made).
  const { rows: selfDecided } = await db.raw<{ rows: { id: number }[] }>(`
    SELECT e.claim_id AS id FROM claim_events e JOIN claims c ON c.id = e.claim_id
     WHERE e.type = 'transition' AND e.action IN ('verify', 'refute', 'mark_unverifiable', 'request_changes')
       AND (e.actor_id = c.created_by OR EXISTS (
         SELECT 1 FROM claim_events x
          WHERE x.claim_id = e.claim_id AND x.id < e.id AND x.type = 'edited' AND x.actor_id = e.actor_id
            AND (x.data -> 'changes' -> 'statement' IS NOT NULL OR x.data -> 'changes' -> 'quote' IS NOT NULL)))`);
  assert.deepEqual(selfDecided, [], 'a claim decided by one of its authors');
  const { rows: miscounted } = await db.raw<{ rows: { status: string; kept: number; real: number }[] }>(`
    SELECT k.status, k.n::int AS kept, (SELECT count(*)::int FROM claims c WHERE c.status = k.status) AS real
      FROM claim_status_counts k
     WHERE k.n <> (SELECT count(*) FROM claims c WHERE c.status = k.status)`);
  assert.deepEqual(miscounted, [], 'the per-status counts the database keeps differ from the claims');
}
