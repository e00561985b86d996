import { Router } from 'express';
import { z } from 'zod';
import { claimJson } from '../claims/claim-json.ts';
import { ClaimFilters, formValues, keptFilters } from '../claims/claim-filters.ts';
import { loadClaim } from '../claims/claim-loader.ts';
import type { Claim } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import { fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid, respond } from '../platform/http.ts';
import { allow } from '../platform/policies.ts';
import type { RecordScreen } from '../platform/screens.ts';
import { optionalText, parseInput } from '../platform/validate.ts';
import { loadReport } from '../reports/report-loader.ts';
import { listReports, type Report } from '../reports/reports.repo.ts';
import type { QueueFeed } from '../review/live.ts';
import { renderClaimList, claimListPage } from './claim-list-page.ts';
import { renderClaimPage, type ClaimPageState } from './claim-page.ts';
import { renderDashboard } from './dashboard-page.ts';
import { renderQueue } from './queue-page.ts';
import { renderRechecks } from './rechecks-page.ts';
import { renderRepeats } from './repeats-page.ts';
import { renderReportPage, withClaimCounts } from './report-page.ts';

const ListQuery = z.object({ q: optionalText('search', 200), after: z.string().max(2000).optional() });

/** The screens a feature's form is shown again on when refused, bound to the database; app.ts hands them to the features. */
export function screens(db: Db, clock: () => Date): { claimPage: RecordScreen<Claim, ClaimPageState>; reportPage: RecordScreen<Report> } {
  return {
    claimPage: (req, res, claim, state) => renderClaimPage(db, req, res, claim, state, clock()),
    reportPage: (req, res, report, state) => renderReportPage(db, req, res, report, state),
  };
}

/**
 * The screens that combine features: the dashboard, the reports list, the
 * report page, the claims list, the claim page and the review queue. Only
 * pages, read with GET: every form they hold posts to its feature's routes.
 */
export function pagesRoutes({ db, feed, clock }: { db: Db; feed?: QueueFeed | undefined; clock: () => Date }): Router {
  const router = Router();

  router.get('/', allow('desk.read'), (req, res) => renderDashboard(db, req, res, clock()));

  router.get('/reports', allow('desk.read'), async (req, res) => {
    const query = parseInput(ListQuery, req.query);
    const page = await withClaimCounts(db, await listReports(db, { q: query.q, after: query.after ?? null }));
    await respond(req, res, () => res.render('reports/index', { title: 'Reports', page, q: query.q ?? '' }), () => page);
  });

  router.get('/reports/:id', allow('desk.read'), async (req, res) => {
    const report = await loadReport(db, req);
    await renderReportPage(db, req, res, report, { values: {}, errors: {} });
  });

  router.get('/claims', allow('desk.read'), async (req, res) => {
    // Refused filters show the form again (400) with the others kept; JSON clients get the field messages.
    onInvalid(res, (err) => renderClaimList(db, req, res, { ...keptFilters(req.query), errors: fieldErrorsOf(err), page: null }));
    const filters = parseInput(ClaimFilters, req.query);
    const after = typeof req.query.after === 'string' ? req.query.after : null;
    const page = await claimListPage(db, filters, req.user!, { after });
    await respond(
      req,
      res,
      () => renderClaimList(db, req, res, { filters, values: formValues(filters), errors: {}, page }),
      () => ({ claims: page.claims.map(claimJson), next: page.next }),
    );
  });

  router.get('/claims/:id', allow('desk.read'), async (req, res) => {
    const claim = await loadClaim(db, req);
    await renderClaimPage(db, req, res, claim, {}, clock());
  });

  router.get('/review/rechecks', allow('desk.read'), (req, res) => renderRechecks(db, req, res, clock()));
  router.get('/repeats', allow('desk.read'), (req, res) => renderRepeats(db, req, res));

  router.get('/review', allow('desk.read'), async (req, res) => {
    const after = typeof req.query.after === 'string' ? req.query.after : null;
    const live = feed?.live ?? false;
    // Refused filters show the form again (400) with the others kept; JSON clients get the field messages.
    onInvalid(res, (err) => renderQueue(db, req, res, { ...keptFilters(req.query), errors: fieldErrorsOf(err), after: null, live }));
    const filters = parseInput(ClaimFilters, req.query);
    await renderQueue(db, req, res, { filters, values: formValues(filters), errors: {}, after, live });
  });

  return router;
}
