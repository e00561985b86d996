import type { Db } from '../platform/database.ts';

/**
 * Two supporting excerpts on one claim whose wording is at least this alike
 * (pg_trgm similarity of their match text, 0-1) are flagged as possibly one
 * origin: two outlets running one wire copy read nearly word for word alike,
 * while two reporters writing up one fact rarely pass 0.6. Excerpts shorter
 * than EXCERPT_MIN_LENGTH characters are not compared: a short phrase alike
 * in two places says little about where it came from.
 */
export const NEAR_IDENTICAL_EXCERPT = 0.8;
export const EXCERPT_MIN_LENGTH = 40;

export type OriginPairState = 'suggested' | 'same' | 'independent';

/** Two sources, lower id first, and how alike their excerpts read. */
export interface SimilarPair {
  sourceA: number;
  sourceB: number;
  similarity: number;
}

/**
 * The pairs of supporting excerpts on a claim that read nearly alike, from
 * two sources not yet judged as a pair.
 */
export async function similarExcerptPairs(db: Db, claimId: number): Promise<SimilarPair[]> {
  const { rows } = await db.raw<{ rows: SimilarPair[] }>(
    `SELECT a.source_id AS "sourceA", b.source_id AS "sourceB",
            factdesk_similarity(factdesk_match_text(a.excerpt), factdesk_match_text(b.excerpt)) AS similarity
       FROM evidence_links a
       JOIN evidence_links b ON b.claim_id = a.claim_id AND b.source_id > a.source_id
      WHERE a.claim_id = ? AND a.relation = 'supports' AND b.relation = 'supports'
        AND char_length(a.excerpt) >= ? AND char_length(b.excerpt) >= ?
        AND factdesk_similarity(factdesk_match_text(a.excerpt), factdesk_match_text(b.excerpt)) >= ?
        AND NOT EXISTS (SELECT 1 FROM source_origin_pairs p WHERE p.source_a = a.source_id AND p.source_b = b.source_id)`,
    [claimId, EXCERPT_MIN_LENGTH, EXCERPT_MIN_LENGTH, NEAR_IDENTICAL_EXCERPT],
  );
  return rows;
}

/** Records pairs as suggested (seen on `claimId`); a pair already there is left as it is. */
export async function insertSuggestedPairs(trx: Db, claimId: number, pairs: readonly SimilarPair[]): Promise<void> {
  if (pairs.length === 0) return;
  await trx('source_origin_pairs')
    .insert(pairs.map((p) => ({ source_a: p.sourceA, source_b: p.sourceB, claim_id: claimId, similarity: p.similarity })))
    .onConflict(['source_a', 'source_b'])
    .ignore();
}

/** An editor's judgement of a pair: one origin or independent. False when the pair is not in the state `from` any more. */
export async function judgePair(trx: Db, pair: { sourceA: number; sourceB: number; from: OriginPairState; state: 'same' | 'independent'; userId: number }): Promise<boolean> {
  const n = await trx('source_origin_pairs')
    .where({ source_a: pair.sourceA, source_b: pair.sourceB, state: pair.from })
    .update({ state: pair.state, decided_by: pair.userId, decided_at: trx.fn.now() });
  return n > 0;
}

/** A pair as the claim page and the problems page show it. */
export interface OriginPair extends SimilarPair {
  state: OriginPairState;
  claimId: number;
  titleA: string;
  titleB: string;
  decidedByName: string | null;
}

const PAIR_COLUMNS = `p.source_a AS "sourceA", p.source_b AS "sourceB", p.similarity, p.state, p.claim_id AS "claimId",
  sa.title AS "titleA", sb.title AS "titleB", u.display_name AS "decidedByName"`;
const PAIR_JOINS = `JOIN sources sa ON sa.id = p.source_a JOIN sources sb ON sb.id = p.source_b LEFT JOIN users u ON u.id = p.decided_by`;

/** The pairs among a claim's sources, in any state. */
export async function pairsAmong(db: Db, sourceIds: readonly number[]): Promise<OriginPair[]> {
  if (sourceIds.length < 2) return [];
  const { rows } = await db.raw<{ rows: OriginPair[] }>(
    `SELECT ${PAIR_COLUMNS} FROM source_origin_pairs p ${PAIR_JOINS}
      WHERE p.source_a = ANY(?::int[]) AND p.source_b = ANY(?::int[]) ORDER BY p.similarity DESC`,
    [[...sourceIds], [...sourceIds]],
  );
  return rows;
}

/** The pair of two sources, or null. */
export async function findPair(db: Db, sourceA: number, sourceB: number): Promise<OriginPair | null> {
  const { rows } = await db.raw<{ rows: OriginPair[] }>(`SELECT ${PAIR_COLUMNS} FROM source_origin_pairs p ${PAIR_JOINS} WHERE p.source_a = ? AND p.source_b = ?`, [sourceA, sourceB]);
  return rows[0] ?? null;
}

/** Pairs waiting for a judgement, newest first, with how many there are. */
export async function suggestedPairs(db: Db, limit = 100): Promise<{ pairs: OriginPair[]; total: number }> {
  const { rows } = await db.raw<{ rows: (OriginPair & { total: number })[] }>(
    `SELECT ${PAIR_COLUMNS}, count(*) OVER ()::int AS total FROM source_origin_pairs p ${PAIR_JOINS}
      WHERE p.state = 'suggested' ORDER BY p.created_at DESC, p.source_a, p.source_b LIMIT ?`,
    [limit],
  );
  return { pairs: rows.map(({ total: _t, ...p }) => p), total: rows[0]?.total ?? 0 };
}

/** For each of the sources, the others an editor judged one origin with it. */
export async function sameOriginOf(db: Db, sourceIds: readonly number[]): Promise<Map<number, number[]>> {
  const result = new Map<number, number[]>();
  if (sourceIds.length === 0) return result;
  const { rows } = await db.raw<{ rows: { a: number; b: number }[] }>(
    `SELECT source_a AS a, source_b AS b FROM source_origin_pairs
      WHERE state = 'same' AND (source_a = ANY(?::int[]) OR source_b = ANY(?::int[]))`,
    [[...sourceIds], [...sourceIds]],
  );
  for (const { a, b } of rows) {
    result.set(a, [...(result.get(a) ?? []), b]);
    result.set(b, [...(result.get(b) ?? []), a]);
  }
  return result;
}
