import type { Request, Response } from 'express';
import { listUsers } from '../accounts/users.repo.ts';
import type { Db } from '../platform/database.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { reportChoices } from '../reports/reports.repo.ts';
import { STATUSES } from './statuses.ts';
import { ClaimFilters, filtersToQuery, type ClaimFilterValues } from './claim-filters.ts';
import { countByStatus, markedPieces, type ClaimPage } from './claim-list.ts';
import { KIND_LABELS, KINDS } from './fields.ts';
import { onFormFields } from './form-errors.ts';

const FILTER_FIELDS = Object.keys(ClaimFilters.shape) as (keyof ClaimFilterValues)[];

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
    assignee: text(f.assignee),
    createdBy: text(f.createdBy),
    from: text(f.from),
    to: text(f.to),
    q: text(f.q),
    sort: f.sort ?? 'newest',
  };
}

/**
 * The claims page: the counts, the filter form holding every filter of the
 * URL (several statuses, a report that is not among the newest, any person),
 * and one page of claims; with `page` null (the filters were refused) the
 * form alone, its messages beside the fields.
 */
export async function renderClaimList(
  db: Db,
  _req: Request,
  res: Response,
  view: { filters: ClaimFilterValues; values: FilterFormValues; errors: FieldErrors; page: ClaimPage | null },
): Promise<void> {
  const reportId = /^\d{1,10}$/.test(view.values.report) ? Number(view.values.report) : null;
  const [reports, counts, people] = await Promise.all([reportChoices(db, 200, reportId), countByStatus(db), listUsers(db)]);
  const personOptions = (selected: string, fixed: { value: string; label: string }[]) => {
    const options = [...fixed, ...people.map((p) => ({ value: String(p.id), label: p.displayName }))];
    if (/^\d+$/.test(selected) && !options.some((o) => o.value === selected)) options.push({ value: selected, label: `Account #${selected}` });
    return options;
  };
  const query = filtersToQuery(view.filters);
  res.render('claims/index', {
    title: 'Claims',
    page: view.page,
    values: view.values,
    errors: onFormFields(view.errors, FILTER_FIELDS),
    query: query.toString(),
    nextQuery: view.page?.next ? withParam(query, 'after', view.page.next) : null,
    reportOptions: reports.map((r) => ({ value: r.id, label: r.title.length > 60 ? `${r.title.slice(0, 59)}…` : r.title })),
    assigneeOptions: personOptions(view.values.assignee, [{ value: 'me', label: 'Me' }, { value: 'none', label: 'Unassigned' }]),
    createdByOptions: personOptions(view.values.createdBy, [{ value: 'me', label: 'Me' }]),
    counts,
    statuses: STATUSES,
    kinds: KINDS,
    kindLabels: KIND_LABELS,
    markedPieces,
  });
}

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function pick<T extends object, K extends keyof T>(o: T, key: K): Pick<T, K> {
  return { [key]: o[key] } as Pick<T, K>;
}

function withParam(params: URLSearchParams, key: string, value: string): string {
  const copy = new URLSearchParams(params);
  copy.set(key, value);
  return copy.toString();
}
