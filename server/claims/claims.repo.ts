import type { Db } from '../platform/database.ts';
import { escapeLike } from '../platform/pagination.ts';
import type { Status } from './statuses.ts';
import { withEvidenceOf } from '../sources/evidence.repo.ts';
import type { EvidenceSummary } from '../sources/evidence-summary.ts';
import type { Confidence, Kind } from './fields.ts';

/** A claim with the names a page shows beside it. */
export interface Claim {
  id: number;
  reportId: number;
  reportTitle: string;
  statement: string;
  quote: string;
  quotePrefix: string;
  quoteSuffix: string;
  quoteStart: number;
  quoteEnd: number;
  anchoredRevision: number;
  quoteMissing: boolean;
  claimant: string | null;
  kind: Kind;
  tags: string[];
  priority: number;
  confidence: Confidence | null;
  status: Status;
  rationale: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  authors: number[];
  createdBy: number;
  createdByName: string;
  createdAt: Date;
  editedBy: number | null;
  editedAt: Date | null;
  submittedAt: Date | null;
  statusChangedAt: Date | null;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  version: number;
}

export const CLAIM_COLUMNS = `c.id, c.report_id AS "reportId", r.title AS "reportTitle", c.statement, c.quote,
  c.quote_prefix AS "quotePrefix", c.quote_suffix AS "quoteSuffix", c.quote_start AS "quoteStart", c.quote_end AS "quoteEnd",
  c.anchored_revision AS "anchoredRevision", c.quote_missing AS "quoteMissing", c.claimant, c.kind, c.tags, c.priority,
  c.confidence, c.status, c.rationale, c.assignee_id AS "assigneeId", ua.display_name AS "assigneeName", c.authors,
  c.created_by AS "createdBy", uc.display_name AS "createdByName", c.created_at AS "createdAt", c.edited_by AS "editedBy",
  c.edited_at AS "editedAt", c.submitted_at AS "submittedAt", c.status_changed_at AS "statusChangedAt",
  c.decided_by AS "decidedBy", ud.display_name AS "decidedByName", c.decided_at AS "decidedAt", c.version`;

export const CLAIM_JOINS = `JOIN reports r ON r.id = c.report_id
  JOIN users uc ON uc.id = c.created_by
  LEFT JOIN users ua ON ua.id = c.assignee_id
  LEFT JOIN users ud ON ud.id = c.decided_by`;

export async function findClaim(db: Db, id: number, { lock = false } = {}): Promise<Claim | null> {
  const { rows } = await db.raw<{ rows: Claim[] }>(
    `SELECT ${CLAIM_COLUMNS} FROM claims c ${CLAIM_JOINS} WHERE c.id = ?${lock ? ' FOR UPDATE OF c' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** A report's claims in text order (claims whose quote is gone come last). */
export async function claimsOfReport(db: Db, reportId: number): Promise<(Claim & { evidence: EvidenceSummary })[]> {
  const { rows } = await db.raw<{ rows: Claim[] }>(
    `SELECT ${CLAIM_COLUMNS} FROM claims c ${CLAIM_JOINS} WHERE c.report_id = ? ORDER BY c.quote_missing, c.quote_start, c.id`,
    [reportId],
  );
  return withEvidenceOf(db, rows);
}

export interface NewClaim {
  reportId: number;
  statement: string;
  quote: { exact: string; prefix: string; suffix: string; start: number; end: number };
  anchoredRevision: number;
  claimant: string | null;
  kind: Kind;
  tags: string[];
  priority: number;
}

export async function insertClaim(trx: Db, claim: NewClaim, actorId: number): Promise<number> {
  const [row] = await trx('claims')
    .insert({
      report_id: claim.reportId,
      statement: claim.statement,
      quote: claim.quote.exact,
      quote_prefix: claim.quote.prefix,
      quote_suffix: claim.quote.suffix,
      quote_start: claim.quote.start,
      quote_end: claim.quote.end,
      anchored_revision: claim.anchoredRevision,
      claimant: claim.claimant,
      kind: claim.kind,
      tags: claim.tags,
      priority: claim.priority,
      authors: [actorId],
      created_by: actorId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** Claimants used on the desk (or in one report), most used first, optionally starting with some text. */
export async function claimantSuggestions(db: Db, options: { prefix?: string | null; reportId?: number; limit?: number } = {}): Promise<string[]> {
  const q = db('claims').select('claimant').count('* as n').whereNotNull('claimant').groupBy('claimant').orderBy([{ column: 'n', order: 'desc' }, { column: 'claimant' }]).limit(options.limit ?? 20);
  // A prefix pattern the claims_claimant_prefix index serves.
  if (options.prefix) q.whereRaw('lower(claimant) LIKE ?', [`${escapeLike(options.prefix.toLowerCase())}%`]);
  if (options.reportId) q.where('report_id', options.reportId);
  return ((await q) as { claimant: string }[]).map((r) => r.claimant);
}
