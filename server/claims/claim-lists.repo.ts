import type { Knex } from 'knex';
import type { Db } from '../platform/database.ts';
import { decodeCursor, encodeCursor, escapeLike } from '../platform/pagination.ts';
import type { Actor } from '../platform/policies.ts';
import type { ClaimFilterValues } from './claim-filters.ts';
import { MATCH_END, MATCH_START } from './claim-list.ts';
import { CLAIM_COLUMNS, CLAIM_JOINS, type Claim } from './claims.repo.ts';
import { whereSelected } from './selections.repo.ts';
import type { Status } from './statuses.ts';

/** The claims table read many rows at a time: the claims list, a report's claims, the review queue, and the counts. */

/** Adds the WHERE clauses for the filters to a query over `claims c` (the list, the queue and the exports share them). */
export function applyClaimFilters(q: Knex.QueryBuilder, f: ClaimFilterValues, actor: Actor): Knex.QueryBuilder {
  if (f.status.length > 0) q.whereIn('c.status', f.status);
  if (f.report) q.where('c.report_id', f.report);
  if (f.claimant) q.whereRaw('lower(c.claimant) = lower(?)', [f.claimant]);
  if (f.tag) q.whereRaw('c.tags @> ARRAY[?]::text[]', [f.tag.toLowerCase()]);
  if (f.kind) q.where('c.kind', f.kind);
  if (f.label) q.where('c.verdict_label_id', f.label);
  if (f.assignee === 'me') q.where('c.assignee_id', actor.id);
  else if (f.assignee === 'none') q.whereNull('c.assignee_id');
  else if (typeof f.assignee === 'number') q.where('c.assignee_id', f.assignee);
  if (f.createdBy === 'me') q.where('c.created_by', actor.id);
  else if (typeof f.createdBy === 'number') q.where('c.created_by', f.createdBy);
  if (f.from) q.whereRaw('c.created_at >= ?::date', [f.from]);
  if (f.to) q.whereRaw("c.created_at < ?::date + interval '1 day'", [f.to]);
  if (f.q) q.whereRaw("c.search @@ websearch_to_tsquery('english', ?)", [f.q]);
  if (f.selection) whereSelected(q, f.selection, actor.id);
  return q;
}

/** The claims a list's filters match (id and version), in id order, at most `limit` (a bulk action's "all matching"). */
export async function matchingClaims(db: Db, filters: ClaimFilterValues, actor: Actor, options: { queue: boolean; limit: number }): Promise<{ id: number; version: number }[]> {
  const q = db.from('claims as c').select('c.id', 'c.version');
  if (options.queue) q.where('c.status', 'in_review');
  applyClaimFilters(q, options.queue ? { ...filters, status: [] } : filters, actor);
  return (await q.orderBy('c.id').limit(options.limit)) as { id: number; version: number }[];
}

/** How many claims a list's filters match, counted up to `cap` (a view's count in the menu: "1,000+" beyond it). */
export async function countMatching(db: Db, filters: ClaimFilterValues, actor: Actor, options: { queue: boolean; cap: number }): Promise<number> {
  const q = db.from('claims as c').select(db.raw('1'));
  if (options.queue) q.where('c.status', 'in_review');
  applyClaimFilters(q, options.queue ? { ...filters, status: [] } : filters, actor);
  const row = (await db.from(q.limit(options.cap + 1).as('m')).count<{ n: number }[]>('* as n').first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** A claim of the list, with its search matches marked when the list was searched. */
export type FoundClaim = Claim & { statementMarked: string | null; quoteMarked: string | null };

/**
 * One page of claims matching the filters, in the chosen order, continuing
 * after `after` (keyset pagination: each page costs the same however deep).
 */
export async function listClaims(db: Db, filters: ClaimFilterValues, actor: Actor, options: { after?: string | null; limit?: number } = {}): Promise<{ claims: FoundClaim[]; next: string | null }> {
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
  return {
    claims: page.map(({ cursor_at: _c, statementMarked, quoteMarked, ...row }) => ({ ...row, statementMarked: statementMarked ?? null, quoteMarked: quoteMarked ?? null })),
    next:
      rows.length > limit && last
        ? encodeCursor(filters.sort === 'priority' ? [last.priority, last.cursor_at, last.id] : [last.cursor_at, last.id])
        : null,
  };
}

/** A report's claims in text order (claims whose quote is gone come last). */
export async function claimsOfReport(db: Db, reportId: number): Promise<Claim[]> {
  const { rows } = await db.raw<{ rows: Claim[] }>(
    `SELECT ${CLAIM_COLUMNS} FROM claims c ${CLAIM_JOINS} WHERE c.report_id = ? ORDER BY c.quote_missing, c.quote_start, c.id`,
    [reportId],
  );
  return rows;
}

/**
 * The review queue: claims in review, highest priority first, then the
 * longest waiting. Keyset pagination on (priority, submitted_at, id).
 */
export async function listQueue(db: Db, filters: ClaimFilterValues, actor: Actor, options: { after?: string | null; limit?: number } = {}): Promise<{ claims: Claim[]; next: string | null }> {
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
  return {
    claims: page.map(({ cursor_at: _c, ...row }) => row),
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

/** How many claims there are in each status (the counts above the lists), from the counts the database keeps. */
export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = (await db('claim_status_counts').select('status', 'n')) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Claims per status for each report (the progress bars of the reports list). */
export async function claimCountsByReport(db: Db, reportIds: number[]): Promise<Map<number, { claimCounts: Partial<Record<Status, number>>; claimTotal: number }>> {
  const result = new Map<number, { claimCounts: Partial<Record<Status, number>>; claimTotal: number }>();
  if (reportIds.length === 0) return result;
  const rows = (await db('claims').select('report_id', 'status').count('* as n').whereIn('report_id', reportIds).groupBy('report_id', 'status')) as {
    report_id: number;
    status: Status;
    n: number;
  }[];
  for (const row of rows) {
    const entry = result.get(row.report_id) ?? { claimCounts: {}, claimTotal: 0 };
    entry.claimCounts[row.status] = Number(row.n);
    entry.claimTotal += Number(row.n);
    result.set(row.report_id, entry);
  }
  return result;
}

/** Claimants used on the desk (or in one report), most used first, optionally starting with some text. */
export async function claimantSuggestions(db: Db, options: { prefix?: string | null; reportId?: number; limit?: number } = {}): Promise<string[]> {
  const q = db('claims').select('claimant').count('* as n').whereNotNull('claimant').groupBy('claimant').orderBy([{ column: 'n', order: 'desc' }, { column: 'claimant' }]).limit(options.limit ?? 20);
  // A prefix pattern the claims_claimant_prefix index serves.
  if (options.prefix) q.whereRaw('lower(claimant) LIKE ?', [`${escapeLike(options.prefix.toLowerCase())}%`]);
  if (options.reportId) q.where('report_id', options.reportId);
  return ((await q) as { claimant: string }[]).map((r) => r.claimant);
}

/** Decided claims to check again by `until`, the longest overdue first. */
export async function dueForRecheck(db: Db, until: string, limit = 200): Promise<Claim[]> {
  return (await db
    .from(db.raw(`claims c ${CLAIM_JOINS}`))
    .select(db.raw(CLAIM_COLUMNS))
    .whereNotNull('c.recheck_by')
    .where('c.recheck_by', '<=', until)
    .orderBy([{ column: 'c.recheck_by' }, { column: 'c.id' }])
    .limit(limit)) as Claim[];
}

/** How many decided claims are due for a re-check by `today`, and how many more by `soon`. */
export async function recheckCounts(db: Db, today: string, soon: string): Promise<{ due: number; soon: number }> {
  const row = (await db('claims')
    .whereNotNull('recheck_by')
    .where('recheck_by', '<=', soon)
    .first(db.raw('count(*) FILTER (WHERE recheck_by <= ?) AS due, count(*) FILTER (WHERE recheck_by > ?) AS soon', [today, today]))) as { due: number; soon: number };
  return { due: Number(row.due), soon: Number(row.soon) };
}

/** Claims by id (those that exist), in id order. */
export async function claimsByIds(db: Db, ids: readonly number[]): Promise<Claim[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.raw<{ rows: Claim[] }>(`SELECT ${CLAIM_COLUMNS} FROM claims c ${CLAIM_JOINS} WHERE c.id = ANY(?::int[]) ORDER BY c.id`, [[...ids]]);
  return rows;
}
