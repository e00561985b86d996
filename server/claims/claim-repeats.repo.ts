import type { Db } from '../platform/database.ts';
import type { Status } from './statuses.ts';
import type { MatchLevel, MatchReasons } from './repeat-match.ts';

/**
 * The repeat matcher's SQL: candidates for a statement (a trigram index on the
 * claims' statements, accents and case ignored), and the claim_repeats table
 * that keeps what was found and what the desk made of it.
 */

/** An earlier claim that may be the same claim, as the database finds it. */
export interface RepeatCandidate {
  id: number;
  statement: string;
  status: Status;
  decidedAt: Date | null;
  verdictLabel: string | null;
  reportTitle: string;
  /** Trigram similarity to the statement (0-1). */
  similarity: number;
  /** Its words, stemmed in its language (factdesk_words). */
  words: string[];
}

/**
 * The lowest trigram similarity a candidate is kept at. Below it a statement
 * shares too few letter triples to be a repeat even reworded.
 */
export const CANDIDATE_SIMILARITY = 0.2;

/**
 * The nearest statements first, from the GiST index on claims.match_text
 * (the statement's text as the matcher compares it, given as a constant so
 * the index can order by it); the similarity floor is applied to what comes
 * back, as a WHERE on the distance would make the index read to the end.
 */
const CANDIDATES_SQL = `
  SELECT c.id, c.statement, c.status, c.decided_at AS "decidedAt", l.name AS "verdictLabel", r.title AS "reportTitle",
         factdesk_similarity(c.match_text, factdesk_match_text(?::text)) AS similarity,
         factdesk_words(c.statement) AS words
    FROM claims c
    JOIN reports r ON r.id = c.report_id
    LEFT JOIN verdict_labels l ON l.id = c.verdict_label_id
   WHERE c.status <> 'withdrawn'
     AND (?::integer IS NULL OR c.id < ?::integer)
     AND (?::integer IS NULL OR c.decided_at >= now() - make_interval(months => ?::integer))
   ORDER BY factdesk_distance(c.match_text, factdesk_match_text(?::text))
   LIMIT ?`;

/**
 * Earlier claims whose statements share enough letter triples with this one,
 * most similar first: all of them, or only claims logged before `beforeId`,
 * or only those decided in the last `windowMonths` months. Withdrawn claims
 * are never candidates.
 */
export async function repeatCandidates(
  db: Db,
  props: { statement: string; beforeId: number | null; windowMonths: number | null; limit: number },
): Promise<{ words: string[]; candidates: RepeatCandidate[] }> {
  const [words, found] = await Promise.all([
    db.raw<{ rows: { words: string[] }[] }>('SELECT factdesk_words(?::text) AS words', [props.statement]),
    db.raw<{ rows: RepeatCandidate[] }>(CANDIDATES_SQL, [
      props.statement,
      props.beforeId,
      props.beforeId,
      props.windowMonths,
      props.windowMonths,
      props.statement,
      props.limit,
    ]),
  ]);
  return {
    words: words.rows[0]?.words ?? [],
    candidates: found.rows.map((r) => ({ ...r, similarity: Number(r.similarity) })).filter((r) => r.similarity >= CANDIDATE_SIMILARITY),
  };
}

export type RepeatState = 'suggested' | 'confirmed' | 'dismissed';

/** A pair the matcher found, with what the desk made of it. */
export interface RepeatRow {
  claimId: number;
  earlierId: number;
  state: RepeatState;
  level: MatchLevel;
  score: number;
  reasons: MatchReasons;
  foundAt: Date;
  decidedBy: number | null;
  decidedAt: Date | null;
}

const ROW = `p.claim_id AS "claimId", p.earlier_id AS "earlierId", p.state, p.level, p.score, p.reasons,
  p.found_at AS "foundAt", p.decided_by AS "decidedBy", p.decided_at AS "decidedAt"`;

/** Stores new suggestions for a claim; a pair already confirmed or dismissed keeps what the desk made of it. */
export async function insertSuggestions(trx: Db, claimId: number, found: { earlierId: number; level: MatchLevel; score: number; reasons: MatchReasons }[]): Promise<void> {
  if (found.length === 0) return;
  await trx('claim_repeats')
    .insert(found.map((f) => ({ claim_id: claimId, earlier_id: f.earlierId, level: f.level, score: f.score, reasons: JSON.stringify(f.reasons) })))
    .onConflict(['claim_id', 'earlier_id'])
    .ignore();
}

/** Forgets a claim's open suggestions (its statement changed: they are looked for again). */
export async function clearSuggestions(trx: Db, claimId: number): Promise<void> {
  await trx('claim_repeats').where({ claim_id: claimId, state: 'suggested' }).delete();
}

/** One pair, locked for a change of state. */
export async function lockRepeat(trx: Db, claimId: number, earlierId: number): Promise<RepeatRow | null> {
  const { rows } = await trx.raw<{ rows: RepeatRow[] }>(`SELECT ${ROW} FROM claim_repeats p WHERE p.claim_id = ? AND p.earlier_id = ? FOR UPDATE`, [claimId, earlierId]);
  return rows[0] ?? null;
}

/** Records what the desk made of a pair (a pair typed in by hand is stored as it is confirmed). */
export async function saveRepeatState(
  trx: Db,
  props: { claimId: number; earlierId: number; state: Exclude<RepeatState, 'suggested'>; actorId: number; level?: MatchLevel; score?: number; reasons?: MatchReasons },
): Promise<void> {
  await trx.raw(
    `INSERT INTO claim_repeats (claim_id, earlier_id, state, level, score, reasons, decided_by, decided_at)
     VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, now())
     ON CONFLICT (claim_id, earlier_id) DO UPDATE SET state = EXCLUDED.state, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at`,
    [props.claimId, props.earlierId, props.state, props.level ?? 'suggestion', props.score ?? 0, JSON.stringify(props.reasons ?? {}), props.actorId],
  );
}

/** A pair seen from one of its claims: the other claim, and which of the two is the repeat. */
export interface RepeatOfClaim extends RepeatRow {
  /** This claim is the later one (it repeats the other). */
  isRepeat: boolean;
  other: { id: number; statement: string; status: Status; decidedAt: Date | null; verdictLabel: string | null; verdictColour: string | null };
}

/** Every pair that involves a claim, either way round (suggestions only for the later claim), except dismissed ones. */
export async function repeatsOfClaim(db: Db, claimId: number): Promise<RepeatOfClaim[]> {
  const { rows } = await db.raw<{ rows: (RepeatRow & { isRepeat: boolean; oId: number; oStatement: string; oStatus: Status; oDecidedAt: Date | null; oLabel: string | null; oColour: string | null })[] }>(
    `SELECT ${ROW}, p.claim_id = ? AS "isRepeat", o.id AS "oId", o.statement AS "oStatement", o.status AS "oStatus",
            o.decided_at AS "oDecidedAt", l.name AS "oLabel", l.colour AS "oColour"
       FROM claim_repeats p
       JOIN claims o ON o.id = CASE WHEN p.claim_id = ? THEN p.earlier_id ELSE p.claim_id END
       LEFT JOIN verdict_labels l ON l.id = o.verdict_label_id
      WHERE (p.claim_id = ? OR (p.earlier_id = ? AND p.state = 'confirmed')) AND p.state <> 'dismissed' AND o.status <> 'withdrawn'
      ORDER BY p.state = 'confirmed' DESC, p.level = 'confident' DESC, p.score DESC, o.id`,
    [claimId, claimId, claimId, claimId],
  );
  return rows.map(({ oId, oStatement, oStatus, oDecidedAt, oLabel, oColour, ...row }) => ({
    ...row,
    other: { id: oId, statement: oStatement, status: oStatus, decidedAt: oDecidedAt, verdictLabel: oLabel, verdictColour: oColour },
  }));
}

/** The earlier, decided claim a claim is confirmed to repeat (that one, or the most recently decided of them). */
export async function decidedOriginalOf(db: Db, claimId: number, earlierId: number | null = null): Promise<number | null> {
  const row = await db('claim_repeats as p')
    .join('claims as e', 'e.id', 'p.earlier_id')
    .where({ 'p.claim_id': claimId, 'p.state': 'confirmed' })
    .modify((q) => (earlierId === null ? q : q.where('p.earlier_id', earlierId)))
    .whereIn('e.status', ['verified', 'refuted', 'unverifiable'])
    .orderBy('e.decided_at', 'desc')
    .first('e.id');
  return (row as { id: number } | undefined)?.id ?? null;
}

/** How many pairs are open, confirmed and dismissed (the "Possible repeats" page's counts). */
export async function repeatCounts(db: Db): Promise<Record<RepeatState, number> & { confident: number }> {
  const { rows } = await db.raw<{ rows: { state: RepeatState; confident: boolean; n: number }[] }>(
    `SELECT p.state, p.level = 'confident' AS confident, count(*)::int AS n
       FROM claim_repeats p JOIN claims c ON c.id = p.claim_id JOIN claims e ON e.id = p.earlier_id
      WHERE c.status <> 'withdrawn' AND e.status <> 'withdrawn'
      GROUP BY 1, 2`,
  );
  const counts = { suggested: 0, confirmed: 0, dismissed: 0, confident: 0 };
  for (const r of rows) {
    counts[r.state] += r.n;
    if (r.confident && r.state === 'suggested') counts.confident += r.n;
  }
  return counts;
}

/** A pair on the desk's list, with both claims. */
export interface ListedRepeat extends RepeatRow {
  claim: { id: number; statement: string; status: Status; reportTitle: string };
  earlier: { id: number; statement: string; status: Status; decidedAt: Date | null; verdictLabel: string | null; verdictColour: string | null };
}

/** Open (or confirmed, or dismissed) pairs, confident ones first, for the desk's list. */
export async function listRepeats(db: Db, props: { state: RepeatState; limit: number; offset: number }): Promise<ListedRepeat[]> {
  const { rows } = await db.raw<{ rows: (RepeatRow & Record<string, unknown>)[] }>(
    `SELECT ${ROW}, c.statement AS "cStatement", c.status AS "cStatus", r.title AS "cReport",
            e.statement AS "eStatement", e.status AS "eStatus", e.decided_at AS "eDecidedAt", l.name AS "eLabel", l.colour AS "eColour"
       FROM claim_repeats p
       JOIN claims c ON c.id = p.claim_id
       JOIN reports r ON r.id = c.report_id
       JOIN claims e ON e.id = p.earlier_id
       LEFT JOIN verdict_labels l ON l.id = e.verdict_label_id
      WHERE p.state = ? AND c.status <> 'withdrawn' AND e.status <> 'withdrawn'
      ORDER BY p.level = 'confident' DESC, p.score DESC, p.claim_id DESC, p.earlier_id
      LIMIT ? OFFSET ?`,
    [props.state, props.limit, props.offset],
  );
  return rows.map((r) => ({
    ...(r as RepeatRow),
    claim: { id: r.claimId, statement: r.cStatement as string, status: r.cStatus as Status, reportTitle: r.cReport as string },
    earlier: { id: r.earlierId, statement: r.eStatement as string, status: r.eStatus as Status, decidedAt: r.eDecidedAt as Date | null, verdictLabel: r.eLabel as string | null, verdictColour: r.eColour as string | null },
  }));
}
