import type { Request, Response } from 'express';
import { listUsers } from '../accounts/users.repo.ts';
import { filtersToQuery, FILTER_FIELDS, type ClaimFilterValues, type FilterFormValues } from '../claims/claim-filters.ts';
import { markedPieces } from '../claims/claim-list.ts';
import { listLabels } from '../claims/verdict-labels.repo.ts';
import { viewsMenu } from '../claims/saved-views.ts';
import { countByStatus, countMatching, listClaims, type FoundClaim } from '../claims/claim-lists.repo.ts';
import { bulkPanel } from '../bulk/bulk-panel.ts';
import { MATCHING_COUNT_CAP } from '../bulk/schemas.ts';
import { safeReturnPath } from '../platform/http.ts';
import { KIND_LABELS, KINDS } from '../claims/fields.ts';
import { STATUSES } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { onFormFields } from '../platform/form-errors.ts';
import type { Actor } from '../platform/policies.ts';
import { reportChoices } from '../reports/reports.repo.ts';
import type { EvidenceFact } from '../sources/confidence.ts';
import { withEvidenceOf } from '../sources/evidence.repo.ts';
import type { EvidenceSummary } from '../sources/evidence-summary.ts';

export type ListedClaim = FoundClaim & { evidence: EvidenceSummary; evidenceFacts: EvidenceFact[] };

export interface ClaimPage {
  claims: ListedClaim[];
  next: string | null;
}

/** One page of the claims list with each claim's evidence summary (one query for the whole page). */
export async function claimListPage(db: Db, filters: ClaimFilterValues, actor: Actor, options: { after?: string | null } = {}): Promise<ClaimPage> {
  const page = await listClaims(db, filters, actor, options);
  return { claims: await withEvidenceOf(db, page.claims), next: page.next };
}

/**
 * The claims page: the counts, the filter form holding every filter of the
 * URL (several statuses, a report that is not among the newest, any person),
 * and one page of claims; with `page` null (the filters were refused) the
 * form alone, its messages beside the fields.
 */
export async function renderClaimList(
  db: Db,
  req: Request,
  res: Response,
  view: { filters: ClaimFilterValues; values: FilterFormValues; errors: FieldErrors; page: ClaimPage | null },
): Promise<void> {
  const reportId = /^\d{1,10}$/.test(view.values.report) ? Number(view.values.report) : null;
  const query = filtersToQuery(view.filters);
  const [reports, counts, people, labels, matching, views] = await Promise.all([
    reportChoices(db, 200, reportId),
    countByStatus(db),
    listUsers(db),
    listLabels(db),
    view.page ? countMatching(db, view.filters, req.user!, { queue: false, cap: MATCHING_COUNT_CAP }) : Promise.resolve(null),
    viewsMenu(db, req.user!),
  ]);
  const personOptions = (selected: string, fixed: { value: string; label: string }[]) => {
    const options = [...fixed, ...people.map((p) => ({ value: String(p.id), label: p.displayName }))];
    if (/^\d+$/.test(selected) && !options.some((o) => o.value === selected)) options.push({ value: selected, label: `Account #${selected}` });
    return options;
  };
  const bulk = view.page
    ? await bulkPanel(db, req.user!, { list: 'claims', filters: query.toString(), matching: matching ?? 0, pageIds: view.page.claims.map((c) => `${c.id}:${c.version}`), back: safeReturnPath(req.originalUrl) })
    : { bulk: null };
  res.render('claims/index', {
    ...bulk,
    views,
    viewList: 'claims',
    currentQuery: query.toString(),
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
    labelOptions: labels.map((l) => ({ value: l.id, label: l.name })),
    markedPieces,
  });
}

function withParam(params: URLSearchParams, key: string, value: string): string {
  const copy = new URLSearchParams(params);
  copy.set(key, value);
  return copy.toString();
}
