import { z } from 'zod';
import { optionalDate, optionalId, optionalText, recordId } from '../platform/validate.ts';
import { SELECTION_KEY } from './selections.repo.ts';
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
  label: optionalId('Choose a verdict label from the list.'),
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
  /** A bulk selection of the person's (export the selection): server/claims/selections.repo.ts. */
  selection: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.string().regex(SELECTION_KEY, { error: 'That selection is not known. Select the claims again.' }).nullable(),
  ),
  sort: z.preprocess((v) => (v === '' || v === undefined ? 'newest' : v), z.enum(SORTS, { error: 'Sort by newest, oldest or priority.' })),
});
export type ClaimFilterValues = z.output<typeof ClaimFilters>;

/** Every filter's field name, in the form's order. */
export const FILTER_FIELDS = Object.keys(ClaimFilters.shape) as (keyof ClaimFilterValues)[];

/** The filter form's values as the URL gave them: several statuses, and one text per other filter. */
export type FilterFormValues = { status: string[] } & Record<Exclude<keyof ClaimFilterValues, 'status'>, string>;

/**
 * The filters of a URL that failed to parse, each field on its own: the valid
 * ones as parsed, the refused ones as they were typed (so the form shows them
 * beside their message), and the values to run a query with (refused ones
 * left out).
 */
export function keptFilters(query: Record<string, unknown>): { filters: ClaimFilterValues; values: FilterFormValues } {
  const filters = ClaimFilters.parse({});
  const values = formValues(filters);
  for (const key of FILTER_FIELDS) {
    const one = ClaimFilters.pick({ [key]: true } as { [K in typeof key]: true }).safeParse({ [key]: query[key] });
    if (one.success) {
      Object.assign(filters, one.data);
      Object.assign(values, pick(formValues(one.data as ClaimFilterValues), key));
    } else if (key === 'status') {
      values.status = asList(query.status).filter((s) => (STATUSES as readonly string[]).includes(s));
    } else {
      values[key] = asList(query[key])[0] ?? '';
    }
  }
  return { filters, values };
}

/** The filter form's values for filters that parsed. */
export function formValues(f: Partial<ClaimFilterValues>): FilterFormValues {
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    status: [...(f.status ?? [])],
    report: text(f.report),
    claimant: text(f.claimant),
    tag: text(f.tag),
    kind: text(f.kind),
    label: text(f.label),
    assignee: text(f.assignee),
    createdBy: text(f.createdBy),
    from: text(f.from),
    to: text(f.to),
    q: text(f.q),
    selection: text(f.selection),
    sort: f.sort ?? 'newest',
  };
}


/** The filters as query-string pairs (for links to the next page and to exports). */
export function filtersToQuery(f: Partial<ClaimFilterValues>): URLSearchParams {
  const params = new URLSearchParams();
  for (const s of f.status ?? []) params.append('status', s);
  for (const key of ['report', 'claimant', 'tag', 'kind', 'label', 'assignee', 'createdBy', 'from', 'to', 'q', 'selection'] as const) {
    const v = f[key];
    if (v !== null && v !== undefined && v !== '') params.set(key, String(v));
  }
  if (f.sort && f.sort !== 'newest') params.set('sort', f.sort);
  return params;
}

/** A query string's values as the filter schema reads them (several statuses, one of each other filter). */
export function queryValues(query: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(query.slice(0, 4000))) raw[k] = k === 'status' ? [...((raw[k] as string[] | undefined) ?? []), v] : v;
  return raw;
}

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function pick<T extends object, K extends keyof T>(o: T, key: K): Pick<T, K> {
  return { [key]: o[key] } as Pick<T, K>;
}
