import type { Knex } from 'knex';
import { z } from 'zod';
import type { Actor } from '../platform/policies.ts';
import { optionalDate, optionalId, optionalText, recordId } from '../platform/validate.ts';
import { STATUSES } from './statuses.ts';
import { KINDS } from './fields.ts';

export const SORTS = ['newest', 'oldest', 'priority'] as const;
export type Sort = (typeof SORTS)[number];

const oneOrMany = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]),
    z.array(z.enum(values, { error: message })).max(values.length),
  );

/**
 * The filters of the claims list, shared by the list, its exports and the
 * review queue: each is a query parameter, checked here, never pasted into SQL.
 */
export const ClaimFilters = z.object({
  status: oneOrMany(STATUSES, 'Choose a status from the list.'),
  report: optionalId('Choose a report from the list.'),
  claimant: optionalText('claimant', 200),
  tag: optionalText('tag', 60),
  kind: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.enum(KINDS, { error: 'Choose a kind from the list.' }).nullable()),
  assignee: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.union([z.literal('me'), z.literal('none'), recordId], { error: 'Choose whose claims to show.' }).nullable(),
  ),
  createdBy: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.union([z.literal('me'), recordId], { error: 'Choose who created the claims.' }).nullable(),
  ),
  from: optionalDate('the start date'),
  to: optionalDate('the end date'),
  q: optionalText('search', 200),
  sort: z.preprocess((v) => (v === '' || v === undefined ? 'newest' : v), z.enum(SORTS, { error: 'Sort by newest, oldest or priority.' })),
});
export type ClaimFilterValues = z.output<typeof ClaimFilters>;

/** Adds the WHERE clauses for the filters to a query over `claims c`. */
export function applyClaimFilters(q: Knex.QueryBuilder, f: ClaimFilterValues, actor: Actor): Knex.QueryBuilder {
  if (f.status.length > 0) q.whereIn('c.status', f.status);
  if (f.report) q.where('c.report_id', f.report);
  if (f.claimant) q.whereRaw('lower(c.claimant) = lower(?)', [f.claimant]);
  if (f.tag) q.whereRaw('c.tags @> ARRAY[?]::text[]', [f.tag.toLowerCase()]);
  if (f.kind) q.where('c.kind', f.kind);
  if (f.assignee === 'me') q.where('c.assignee_id', actor.id);
  else if (f.assignee === 'none') q.whereNull('c.assignee_id');
  else if (typeof f.assignee === 'number') q.where('c.assignee_id', f.assignee);
  if (f.createdBy === 'me') q.where('c.created_by', actor.id);
  else if (typeof f.createdBy === 'number') q.where('c.created_by', f.createdBy);
  if (f.from) q.whereRaw('c.created_at >= ?::date', [f.from]);
  if (f.to) q.whereRaw("c.created_at < ?::date + interval '1 day'", [f.to]);
  if (f.q) q.whereRaw("c.search @@ websearch_to_tsquery('english', ?)", [f.q]);
  return q;
}

/** The filters as query-string pairs (for links to the next page and to exports). */
export function filtersToQuery(f: Partial<ClaimFilterValues>): URLSearchParams {
  const params = new URLSearchParams();
  for (const s of f.status ?? []) params.append('status', s);
  for (const key of ['report', 'claimant', 'tag', 'kind', 'assignee', 'createdBy', 'from', 'to', 'q'] as const) {
    const v = f[key];
    if (v !== null && v !== undefined && v !== '') params.set(key, String(v));
  }
  if (f.sort && f.sort !== 'newest') params.set('sort', f.sort);
  return params;
}
