import type { Knex } from 'knex';
import type { Status } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import { decodeCursor, encodeCursor } from '../platform/pagination.ts';
import type { EvidenceFact } from './confidence.ts';
import { summariseEvidence, type EvidenceSummary } from './evidence-summary.ts';
import type { Lineage } from './independence.ts';
import { withLineage } from './lineage.ts';
import type { Relation, Reliability } from './ratings.ts';

/** An evidence link with its source, as the claim page shows it. */
export interface EvidenceLink {
  id: number;
  claimId: number;
  sourceId: number;
  sourceTitle: string;
  sourceUrl: string | null;
  publisher: string | null;
  outlet: string | null;
  reliability: Reliability;
  relation: Relation;
  excerpt: string | null;
  locator: string | null;
  credibility: number;
  note: string | null;
  createdByName: string;
  createdAt: Date;
  version: number;
  /** What the source leads back to, for telling independent evidence apart. */
  lineage: Lineage;
}

/** An evidence link as its row reads, before its source's lineage is added. */
export type EvidenceRow = Omit<EvidenceLink, 'lineage'>;

const COLUMNS = `l.id, l.claim_id AS "claimId", l.source_id AS "sourceId", s.title AS "sourceTitle", s.url AS "sourceUrl",
  s.publisher, s.outlet, s.reliability, l.relation, l.excerpt, l.locator, l.credibility, l.note, u.display_name AS "createdByName",
  l.created_at AS "createdAt", l.version`;

const ORDER = `CASE l.relation WHEN 'origin' THEN 0 WHEN 'supports' THEN 1 WHEN 'contradicts' THEN 2 ELSE 3 END, s.reliability, l.credibility, l.id`;

/** A claim's evidence: origin first, then supporting, contradicting and context, best rated first. */
export async function evidenceOfClaim(db: Db, claimId: number): Promise<EvidenceLink[]> {
  return withLineage(db, await evidenceRowsOfClaim(db, claimId));
}

/** A claim's evidence rows in evidenceOfClaim's order, without lineage (for a caller that works it out with more). */
export async function evidenceRowsOfClaim(db: Db, claimId: number): Promise<EvidenceRow[]> {
  const { rows } = await db.raw<{ rows: EvidenceRow[] }>(
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
    .select('l.claim_id as claimId', 's.id as sourceId', 's.title as sourceTitle', 's.publisher', 's.url as sourceUrl', 's.outlet', 's.reliability', 'l.credibility', 'l.relation')
    .whereIn('l.claim_id', claimIds)) as (Omit<EvidenceFact, 'lineage'> & { claimId: number })[];
  for (const { claimId, ...fact } of await withLineage(db, rows)) {
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

/** One evidence link of a claim, with its source, or null. */
export async function findEvidence(db: Db, claimId: number, linkId: number): Promise<EvidenceRow | null> {
  const { rows } = await db.raw<{ rows: EvidenceRow[] }>(
    `SELECT ${COLUMNS} FROM evidence_links l JOIN sources s ON s.id = l.source_id JOIN users u ON u.id = l.created_by
      WHERE l.id = ? AND l.claim_id = ?`,
    [linkId, claimId],
  );
  return rows[0] ?? null;
}

/** Whether the source is already linked to the claim. */
export async function isLinked(db: Db, claimId: number, sourceId: number): Promise<boolean> {
  return Boolean(await db('evidence_links').where({ claim_id: claimId, source_id: sourceId }).first('id'));
}

/** How a source bears on a claim, as an evidence link stores it. */
export interface NewEvidence {
  claimId: number;
  sourceId: number;
  relation: Relation;
  excerpt: string | null;
  locator: string | null;
  credibility: number;
  note: string | null;
}

/** Links a source to a claim; returns the link's id. */
export async function insertEvidence(trx: Db, link: NewEvidence, createdBy: number): Promise<number> {
  const [row] = await trx('evidence_links')
    .insert({
      claim_id: link.claimId,
      source_id: link.sourceId,
      relation: link.relation,
      excerpt: link.excerpt,
      locator: link.locator,
      credibility: link.credibility,
      note: link.note,
      created_by: createdBy,
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** The fields of a link an editor changes. */
export type EvidenceChange = Pick<NewEvidence, 'relation' | 'excerpt' | 'locator' | 'credibility' | 'note'>;

/** Saves a change to a link if it is still at `version`. */
export async function updateEvidenceIfVersion(trx: Db, props: { id: number; version: number; change: EvidenceChange; updatedBy: number }): Promise<void> {
  await trx('evidence_links')
    .where({ id: props.id, version: props.version })
    .update({ ...props.change, updated_by: props.updatedBy, updated_at: trx.fn.now(), version: trx.raw('version + 1') });
}

/** Removes a link (the source stays in the library). */
export async function deleteEvidence(trx: Db, id: number): Promise<void> {
  await trx('evidence_links').where({ id }).delete();
}

/** The ids of the claims that cite a source, as a subquery for a statement on claims. */
export function claimIdsCiting(db: Db, sourceId: number): Knex.QueryBuilder {
  return db('evidence_links').select('claim_id').where({ source_id: sourceId });
}

/** Every claim citing a source, in claim id order, with its status as `claimStatus`: the rows of the history entries a source change adds. */
export function claimsCitingWithStatus(db: Db, sourceId: number): Knex.QueryBuilder {
  return db('evidence_links as l')
    .join('claims as c', 'c.id', 'l.claim_id')
    .select('l.claim_id', 'c.status as claimStatus')
    .where('l.source_id', sourceId)
    .orderBy('l.claim_id');
}

/** A claim that uses a source, with how it uses it and its status. */
export interface ClaimUsingSource {
  claimId: number;
  statement: string;
  status: Status;
  relation: Relation;
  credibility: number;
  reportId: number;
  reportTitle: string;
}

/**
 * The claims that use a source, newest first (highest claim id), a page at a
 * time after `after`. The keyset walks the (source_id, claim_id) index, so a
 * source cited by a hundred thousand claims costs one page like any other.
 */
export async function claimsUsingSource(
  db: Db,
  sourceId: number,
  options: { after?: string | null; limit?: number } = {},
): Promise<{ claims: ClaimUsingSource[]; next: string | null }> {
  const limit = options.limit ?? 50;
  const cursor = decodeCursor(options.after, ['int']);
  const q = db('evidence_links as l')
    .join('claims as c', 'c.id', 'l.claim_id')
    .join('reports as r', 'r.id', 'c.report_id')
    .select('c.id as claimId', 'c.statement', 'c.status', 'l.relation', 'l.credibility', 'r.id as reportId', 'r.title as reportTitle')
    .where('l.source_id', sourceId);
  if (cursor) q.where('l.claim_id', '<', cursor[0]);
  const rows = (await q.orderBy('l.claim_id', 'desc').limit(limit + 1)) as ClaimUsingSource[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { claims: page, next: rows.length > limit && last ? encodeCursor([last.claimId]) : null };
}

/** How many claims using a source are in each status (statuses with none are left out). */
export async function statusCountsOfSource(db: Db, sourceId: number): Promise<Partial<Record<Status, number>>> {
  const rows = (await db('evidence_links as l')
    .join('claims as c', 'c.id', 'l.claim_id')
    .where('l.source_id', sourceId)
    .groupBy('c.status')
    .select('c.status')
    .count<{ status: Status; n: number }[]>('* as n')) as { status: Status; n: number | string }[];
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** How many claims use any of these sources. */
export async function claimCountUsingAny(db: Db, sourceIds: readonly number[]): Promise<number> {
  if (sourceIds.length === 0) return 0;
  const row = (await db('evidence_links').whereIn('source_id', [...sourceIds]).countDistinct<{ n: number }[]>('claim_id as n').first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** How many supporting, contradicting and all links each claim has (a bulk action's guards need no more). */
export async function evidenceCountsOf(db: Db, claimIds: readonly number[]): Promise<Map<number, { supports: number; contradicts: number; total: number }>> {
  const result = new Map<number, { supports: number; contradicts: number; total: number }>();
  if (claimIds.length === 0) return result;
  const { rows } = await db.raw<{ rows: { claimId: number; supports: number; contradicts: number; total: number }[] }>(
    `SELECT claim_id AS "claimId", count(*) FILTER (WHERE relation = 'supports')::int AS supports,
            count(*) FILTER (WHERE relation = 'contradicts')::int AS contradicts, count(*)::int AS total
       FROM evidence_links WHERE claim_id = ANY(?::int[]) GROUP BY claim_id`,
    [[...claimIds]],
  );
  for (const { claimId, ...counts } of rows) result.set(claimId, counts);
  return result;
}
