import type { Knex } from 'knex';
import type { ClaimFilterValues } from '../claims/claim-filters.ts';
import { applyClaimFilters } from '../claims/claim-lists.repo.ts';
import type { Db } from '../platform/database.ts';
import type { Actor } from '../platform/policies.ts';
import { DECIDED_STATUSES, STATUSES, type Status } from '../claims/statuses.ts';

/**
 * The claim sheet's read model: one query across claims, reports, the
 * reviewer's name and the evidence (links and their sources, aggregated per
 * claim), so an export streams in one pass with flat memory. It only reads;
 * the tables' writes stay in their own repositories.
 */

/** Which claims a sheet holds: the verified ones (default), every decided one, or (JSON only) all. */
export const SCOPES = ['verified', 'decided', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** The statuses a sheet of this scope holds. */
export function statusesOf(scope: Scope): readonly Status[] {
  return scope === 'verified' ? ['verified'] : scope === 'decided' ? DECIDED_STATUSES : STATUSES;
}

/** One source's bearing on a claim, as the sheet shows it. */
export interface SheetEvidence {
  relation: 'origin' | 'supports' | 'contradicts' | 'context';
  title: string;
  publisher: string | null;
  url: string | null;
  reliability: string;
  credibility: number;
  excerpt: string | null;
  locator: string | null;
  /** Where the source's trail of citations ends (empty: it is its own origin). */
  origins: { id: number; title: string; url: string | null }[];
}

/** One claim of a sheet, with its report, reviewer and evidence. */
export interface SheetRow {
  id: number;
  statement: string;
  quote: string;
  claimant: string | null;
  kind: string;
  status: Status;
  confidence: string | null;
  rationale: string | null;
  tags: string[];
  decided_at: Date | null;
  /** The day the verdict is true as of, and the day to check it again by (YYYY-MM-DD). */
  true_as_of: string | null;
  recheck_by: string | null;
  /** The verdict in the desk's words, and its rating on the 1-5 scale. */
  verdict: string | null;
  verdict_rating: number | null;
  verdict_colour: string | null;
  report_id: number;
  report_title: string;
  report_url: string | null;
  report_published_on: string | null;
  reviewer: string | null;
  evidence: SheetEvidence[];
  /** The earlier claims this one is confirmed to repeat ("same claim as"). */
  repeats: number[];
}

export interface SheetSelection {
  scope: Scope;
  /** The claims list's filters (the export of a filtered list), or null for a report's sheet. */
  filters: ClaimFilterValues | null;
  reportId: number | null;
}

/**
 * The export query: claims in scope with their evidence aggregated per claim
 * (one row per claim, so it streams in one pass). A report's sheet is in text
 * order; a filtered export in claim id order, which the primary key serves.
 */
export function sheetQuery(db: Db, selection: SheetSelection, actor: Actor | null): Knex.QueryBuilder {
  const statuses = selection.filters?.status.length
    ? statusesOf(selection.scope).filter((s) => selection.filters!.status.includes(s))
    : statusesOf(selection.scope);
  const q = db
    .from(
      db.raw(`claims c
        JOIN reports r ON r.id = c.report_id
        LEFT JOIN users ud ON ud.id = c.decided_by
        LEFT JOIN verdict_labels vl ON vl.id = c.verdict_label_id
        LEFT JOIN LATERAL (
          SELECT jsonb_agg(jsonb_build_object(
                   'relation', l.relation, 'title', s.title, 'publisher', s.publisher, 'url', s.url,
                   'reliability', s.reliability, 'credibility', l.credibility, 'excerpt', l.excerpt, 'locator', l.locator,
                   'origins', factdesk_source_origins(s.id))
                 ORDER BY CASE l.relation WHEN 'origin' THEN 0 WHEN 'supports' THEN 1 WHEN 'contradicts' THEN 2 ELSE 3 END, s.reliability, l.credibility, l.id) AS evidence
            FROM evidence_links l JOIN sources s ON s.id = l.source_id
           WHERE l.claim_id = c.id) ev ON true`),
    )
    .select(
      'c.id', 'c.statement', 'c.quote', 'c.claimant', 'c.kind', 'c.status', 'c.confidence', 'c.rationale', 'c.tags', 'c.decided_at', 'c.true_as_of', 'c.recheck_by',
      'r.id as report_id', 'r.title as report_title', 'r.url as report_url', 'r.published_on as report_published_on',
      'ud.display_name as reviewer',
      'vl.name as verdict', 'vl.rating as verdict_rating', 'vl.colour as verdict_colour',
      db.raw(`coalesce(ev.evidence, '[]'::jsonb) AS evidence`),
      db.raw(`ARRAY(SELECT p.earlier_id FROM claim_repeats p WHERE p.claim_id = c.id AND p.state = 'confirmed' ORDER BY p.earlier_id) AS repeats`),
    )
    .whereIn('c.status', statuses.length ? [...statuses] : ['-none-']);
  if (selection.filters) {
    // Filters such as "mine" need to know who asks; only the public feed has nobody, and no filters.
    if (!actor) throw new Error('A filtered claim sheet needs the person it is for.');
    applyClaimFilters(q, { ...selection.filters, status: [] }, actor);
  }
  if (selection.reportId !== null) q.where('c.report_id', selection.reportId).orderBy([{ column: 'c.quote_start' }, { column: 'c.id' }]);
  else q.orderBy('c.id');
  return q;
}

/**
 * Runs `work` in one read-only REPEATABLE READ transaction, so every query of
 * an export (the XLSX reads its claims twice, once per sheet) sees the same
 * snapshot: a claim decided or a source linked meanwhile is in neither sheet
 * or in both. The transaction holds one connection until `work` is done,
 * which on the embedded database (one connection) is what a streamed
 * export did already.
 */
export function readSnapshot<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(work, { isolationLevel: 'repeatable read', readOnly: true });
}
