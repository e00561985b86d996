// Checks of a loaded benchmark data set against the workflow's rules.
import type { Knex } from 'knex';

/**
 * Checks the loaded data against the workflow's rules (status = last
 * transition, four-eyes, decision fields, quotes at their offsets); returns
 * the problems found, empty when all hold.
 */
export async function checkDataset(db: Knex): Promise<string[]> {
  const checks: [string, string][] = [
    ['claims whose status is not the to-state of their last transition', `SELECT count(*)::int AS n FROM claims c LEFT JOIN LATERAL (SELECT e.to_status FROM claim_events e WHERE e.claim_id = c.id AND e.type = 'transition' ORDER BY e.id DESC LIMIT 1) last ON true WHERE c.status <> coalesce(last.to_status, 'draft')`],
    ['decisions made by one of the claim\'s authors', `SELECT count(*)::int AS n FROM claim_events e JOIN claims c ON c.id = e.claim_id WHERE e.type = 'transition' AND e.action IN ('verify', 'refute', 'mark_unverifiable', 'request_changes') AND e.actor_id = ANY (c.authors)`],
    ['decided claims without decided_by/decided_at or decided by an author', `SELECT count(*)::int AS n FROM claims WHERE status IN ('verified', 'refuted', 'unverifiable') AND (decided_by IS NULL OR decided_at IS NULL OR decided_by = ANY (authors))`],
    ['claims in review without submitted_at', `SELECT count(*)::int AS n FROM claims WHERE status = 'in_review' AND submitted_at IS NULL`],
    ['non-draft claims without status_changed_by', `SELECT count(*)::int AS n FROM claims WHERE status <> 'draft' AND status_changed_by IS NULL`],
    ['claims whose quote is not at its offsets', `SELECT count(*)::int AS n FROM claims c JOIN reports r ON r.id = c.report_id WHERE substr(r.body, c.quote_start + 1, c.quote_end - c.quote_start) <> c.quote OR substr(r.body, greatest(1, c.quote_start - 31), least(32, c.quote_start)) <> c.quote_prefix OR substr(r.body, c.quote_end + 1, 32) <> c.quote_suffix`],
    ['submitted claims without evidence', `SELECT count(*)::int AS n FROM claims c WHERE c.status IN ('in_review', 'changes_requested', 'verified', 'refuted', 'unverifiable') AND NOT EXISTS (SELECT 1 FROM evidence_links l WHERE l.claim_id = c.id)`],
    ['verified claims without a supporting link', `SELECT count(*)::int AS n FROM claims c WHERE c.status = 'verified' AND NOT EXISTS (SELECT 1 FROM evidence_links l WHERE l.claim_id = c.id AND l.relation = 'supports')`],
    ['refuted claims without a contradicting link', `SELECT count(*)::int AS n FROM claims c WHERE c.status = 'refuted' AND NOT EXISTS (SELECT 1 FROM evidence_links l WHERE l.claim_id = c.id AND l.relation = 'contradicts')`],
  ];
  const problems: string[] = [];
  for (const [label, sql] of checks) {
    const n = ((await db.raw(sql)) as { rows: { n: number }[] }).rows[0]?.n ?? 0;
    if (n > 0) problems.push(`${n} ${label}`);
  }
  return problems;
}
