import type { Request, Response } from 'express';
import { listUsers } from '../accounts/users.repo.ts';
import { latestEventId } from '../audit/events.repo.ts';
import { filtersToQuery, type ClaimFilterValues, type FilterFormValues } from '../claims/claim-filters.ts';
import { countByStatus, countMatching, queueAges } from '../claims/claim-lists.repo.ts';
import { bulkPanel } from '../bulk/bulk-panel.ts';
import { MATCHING_COUNT_CAP } from '../bulk/schemas.ts';
import { viewsMenu } from '../claims/saved-views.ts';
import { STATUSES } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { onFormFields } from '../platform/form-errors.ts';
import { respond, safeReturnPath } from '../platform/http.ts';
import { can } from '../platform/policies.ts';
import { reportChoices } from '../reports/reports.repo.ts';
import { listQueue } from '../review/queue.ts';

/** The queue's filters: the claims list's, without status (the queue is the claims in review). */
const QUEUE_FIELDS = ['report', 'claimant', 'tag', 'assignee'] as const;

/**
 * The review queue page: counts, the age of the queue, the filter form holding
 * what the URL asked for, and one page of claims in review; with refused
 * filters, the form again with their messages beside them and no list.
 */
export async function renderQueue(
  db: Db,
  req: Request,
  res: Response,
  view: { filters: ClaimFilterValues; values: FilterFormValues; errors: FieldErrors; after: string | null; live: boolean },
): Promise<void> {
  const refused = Object.keys(view.errors).length > 0;
  const reportId = /^\d{1,10}$/.test(view.values.report) ? Number(view.values.report) : null;
  const [page, counts, ages, reports, people, stamp, matching, views] = await Promise.all([
    refused ? Promise.resolve(null) : listQueue(db, view.filters, req.user!, { after: view.after }),
    countByStatus(db),
    queueAges(db),
    reportChoices(db, 200, reportId),
    listUsers(db),
    latestEventId(db),
    refused ? Promise.resolve(0) : countMatching(db, view.filters, req.user!, { queue: true, cap: MATCHING_COUNT_CAP }),
    viewsMenu(db, req.user!),
  ]);
  const query = filtersToQuery({ ...view.filters, status: [], sort: 'newest' });
  const next = page?.next ? new URLSearchParams(query) : null;
  next?.set('after', page!.next!);
  const reviewers = people.filter((p) => can(p, 'queue.work') && !p.disabled).map((p) => ({ value: String(p.id), label: p.displayName }));
  // Each row's "Take" link: unassigned, and the policy lets this reviewer review it (the four-eyes rule).
  const items = page?.items.map((c) => ({ ...c, canTake: !c.assigneeId && can(req.user, 'claim.review', c) }));
  if (/^\d+$/.test(view.values.assignee) && !reviewers.some((r) => r.value === view.values.assignee)) {
    reviewers.push({ value: view.values.assignee, label: `Account #${view.values.assignee}` });
  }
  const { bulk } = page
    ? await bulkPanel(db, req.user!, { list: 'review', filters: query.toString(), matching, pageIds: page.items.map((c) => `${c.id}:${c.version}`), back: safeReturnPath(req.originalUrl) })
    : { bulk: null };
  await respond(
    req,
    res,
    () =>
      res.render('review/queue', {
        title: 'Review queue',
        bulk,
        views,
        viewList: 'review',
        currentQuery: query.toString(),
        page: page && { ...page, items },
        counts,
        ages,
        values: view.values,
        errors: onFormFields(view.errors, QUEUE_FIELDS),
        filtered: QUEUE_FIELDS.some((f) => view.values[f] !== ''),
        reportOptions: reports.map((r) => ({ value: r.id, label: r.title.length > 60 ? `${r.title.slice(0, 59)}…` : r.title })),
        assigneeOptions: [{ value: 'me', label: 'Mine' }, { value: 'none', label: 'Unassigned' }, ...reviewers],
        statuses: STATUSES,
        nextQuery: next?.toString() ?? null,
        stamp,
        live: view.live ? 'sse' : 'poll',
      }),
    () => ({ items: page?.items ?? [], next: page?.next ?? null, counts, ages, stamp }),
  );
}
