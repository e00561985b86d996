import type { Db } from '../platform/database.ts';
import { decodeCursor, encodeCursor } from '../platform/pagination.ts';
import type { Actor } from '../platform/policies.ts';
import { applyClaimFilters, type ClaimFilterValues } from './claim-filters.ts';
import { withEvidenceOf } from '../sources/evidence.repo.ts';
import type { EvidenceSummary } from '../sources/evidence-summary.ts';
import { CLAIM_COLUMNS, CLAIM_JOINS, type Claim } from './claims.repo.ts';

// Markers ts_headline puts around matches. Input cleaning strips control
// characters from all user text, so they cannot occur in a statement.
export const MATCH_START = '\u0001';
export const MATCH_END = '\u0002';

export type ListedClaim = Claim & { evidence: EvidenceSummary; statementMarked: string | null; quoteMarked: string | null };

export interface ClaimPage {
  claims: ListedClaim[];
  next: string | null;
}

/**
 * One page of claims matching the filters, in the chosen order, continuing
 * after `after` (keyset pagination: each page costs the same however deep).
 */
export async function listClaims(db: Db, filters: ClaimFilterValues, actor: Actor, options: { after?: string | null; limit?: number } = {}): Promise<ClaimPage> {
  const limit = options.limit ?? 50;
  const q = db
    .from(db.raw(`claims c ${CLAIM_JOINS}`))
    .select(db.raw(CLAIM_COLUMNS))
    .select(db.raw(`to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`));
  if (filters.q) {
    const options = `HighlightAll=true, StartSel=${MATCH_START}, StopSel=${MATCH_END}`;
    q.select(
      db.raw(`ts_headline('english', c.statement, websearch_to_tsquery('english', ?), ?) AS "statementMarked"`, [filters.q, options]),
      db.raw(`ts_headline('english', c.quote, websearch_to_tsquery('english', ?), ?) AS "quoteMarked"`, [filters.q, options]),
    );
  }
  applyClaimFilters(q, filters, actor);
  if (filters.sort === 'priority') {
    const cursor = decodeCursor(options.after, ['int', 'timestamp', 'int']);
    if (cursor) q.whereRaw('(c.priority, c.created_at, c.id) < (?, ?::timestamptz, ?)', cursor);
    q.orderByRaw('c.priority DESC, c.created_at DESC, c.id DESC');
  } else {
    const cursor = decodeCursor(options.after, ['timestamp', 'int']);
    if (cursor) q.whereRaw(`(c.created_at, c.id) ${filters.sort === 'oldest' ? '>' : '<'} (?::timestamptz, ?)`, cursor);
    q.orderByRaw(filters.sort === 'oldest' ? 'c.created_at ASC, c.id ASC' : 'c.created_at DESC, c.id DESC');
  }
  const rows = (await q.limit(limit + 1)) as (Claim & { cursor_at: string; statementMarked?: string; quoteMarked?: string })[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const claims = page.map(({ cursor_at: _c, statementMarked, quoteMarked, ...row }) => ({ ...row, statementMarked: statementMarked ?? null, quoteMarked: quoteMarked ?? null }));
  return {
    claims: await withEvidenceOf(db, claims),
    next:
      rows.length > limit && last
        ? encodeCursor(filters.sort === 'priority' ? [last.priority, last.cursor_at, last.id] : [last.cursor_at, last.id])
        : null,
  };
}

/** Text with search matches marked, as pieces a view escapes and wraps in <mark>. */
export function markedPieces(marked: string | null, plain: string): { text: string; match: boolean }[] {
  if (!marked) return [{ text: plain, match: false }];
  const pieces: { text: string; match: boolean }[] = [];
  const re = new RegExp(`${MATCH_START}([^${MATCH_END}]*)${MATCH_END}`, 'g');
  let last = 0;
  for (const m of marked.matchAll(re)) {
    if (m.index > last) pieces.push({ text: marked.slice(last, m.index), match: false });
    pieces.push({ text: m[1] ?? '', match: true });
    last = m.index + m[0].length;
  }
  if (last < marked.length) pieces.push({ text: marked.slice(last), match: false });
  return pieces;
}

/** How many claims there are in each status (the counts above the lists), from the counts the database keeps. */
export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = (await db('claim_status_counts').select('status', 'n')) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
