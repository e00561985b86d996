import type { Db } from '../platform/database.ts';
import type { EvidenceFact } from './confidence.ts';
import { summariseEvidence, type EvidenceSummary } from './evidence-summary.ts';
import type { Relation, Reliability } from './ratings.ts';

/** An evidence link with its source, as the claim page shows it. */
export interface EvidenceLink {
  id: number;
  claimId: number;
  sourceId: number;
  sourceTitle: string;
  sourceUrl: string | null;
  publisher: string | null;
  reliability: Reliability;
  relation: Relation;
  excerpt: string | null;
  locator: string | null;
  credibility: number;
  note: string | null;
  createdByName: string;
  createdAt: Date;
  version: number;
}

const COLUMNS = `l.id, l.claim_id AS "claimId", l.source_id AS "sourceId", s.title AS "sourceTitle", s.url AS "sourceUrl",
  s.publisher, s.reliability, l.relation, l.excerpt, l.locator, l.credibility, l.note, u.display_name AS "createdByName",
  l.created_at AS "createdAt", l.version`;

const ORDER = `CASE l.relation WHEN 'origin' THEN 0 WHEN 'supports' THEN 1 WHEN 'contradicts' THEN 2 ELSE 3 END, s.reliability, l.credibility, l.id`;

/** A claim's evidence: origin first, then supporting, contradicting and context, best rated first. */
export async function evidenceOfClaim(db: Db, claimId: number): Promise<EvidenceLink[]> {
  const { rows } = await db.raw<{ rows: EvidenceLink[] }>(
    `SELECT ${COLUMNS} FROM evidence_links l JOIN sources s ON s.id = l.source_id JOIN users u ON u.id = l.created_by
      WHERE l.claim_id = ? ORDER BY ${ORDER}`,
    [claimId],
  );
  return rows;
}

/** Evidence of many claims at once (lists and the queue compute suggestions from it). */
export async function evidenceFactsOf(db: Db, claimIds: number[]): Promise<Map<number, EvidenceFact[]>> {
  const result = new Map<number, EvidenceFact[]>();
  if (claimIds.length === 0) return result;
  const rows = (await db('evidence_links as l')
    .join('sources as s', 's.id', 'l.source_id')
    .select('l.claim_id as claimId', 's.id as sourceId', 's.title as sourceTitle', 's.publisher', 's.reliability', 'l.credibility', 'l.relation')
    .whereIn('l.claim_id', claimIds)) as (EvidenceFact & { claimId: number })[];
  for (const { claimId, ...fact } of rows) {
    const links = result.get(claimId);
    if (links) links.push(fact);
    else result.set(claimId, [fact]);
  }
  return result;
}

/**
 * Claims with their evidence summary and the facts behind it (for the
 * confidence suggestion): one query for the whole page of claims.
 */
export async function withEvidenceOf<T extends { id: number }>(db: Db, claims: readonly T[]): Promise<(T & { evidence: EvidenceSummary; evidenceFacts: EvidenceFact[] })[]> {
  const facts = await evidenceFactsOf(db, claims.map((c) => c.id));
  return claims.map((c) => {
    const evidenceFacts = facts.get(c.id) ?? [];
    return { ...c, evidence: summariseEvidence(evidenceFacts), evidenceFacts };
  });
}

/** One claim's evidence summary (the state guards check it inside the transition's transaction). */
export async function evidenceSummaryOf(db: Db, claimId: number): Promise<EvidenceSummary> {
  return summariseEvidence((await evidenceFactsOf(db, [claimId])).get(claimId) ?? []);
}

export async function findEvidence(db: Db, claimId: number, linkId: number): Promise<EvidenceLink | null> {
  const { rows } = await db.raw<{ rows: EvidenceLink[] }>(
    `SELECT ${COLUMNS} FROM evidence_links l JOIN sources s ON s.id = l.source_id JOIN users u ON u.id = l.created_by
      WHERE l.id = ? AND l.claim_id = ?`,
    [linkId, claimId],
  );
  return rows[0] ?? null;
}
