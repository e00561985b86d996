import type { Request, Response } from 'express';
import { bulkPanel } from '../bulk/bulk-panel.ts';
import { claimJson } from '../claims/claim-json.ts';
import { can } from '../platform/policies.ts';
import { claimantSuggestions, claimCountsByReport, claimsOfReport } from '../claims/claim-lists.repo.ts';
import { highlightBody } from '../claims/highlight.ts';
import { STATUSES, type Status } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import { respond } from '../platform/http.ts';
import type { FormState } from '../platform/screens.ts';
import type { Report, ReportPage, ReportSummary } from '../reports/reports.repo.ts';
import { withEvidenceOf } from '../sources/evidence.repo.ts';

/**
 * The report page: the text with every claim's quote highlighted by status,
 * the claims in text order beside it, and the form to log a new claim (shown
 * again with its errors when logging one failed).
 */
export async function renderReportPage(
  db: Db,
  req: Request,
  res: Response,
  report: Report,
  logForm: FormState,
): Promise<void> {
  const claims = await withEvidenceOf(db, await claimsOfReport(db, report.id));
  const counts: Partial<Record<Status, number>> = {};
  for (const c of claims) counts[c.status] = (counts[c.status] ?? 0) + 1;
  await respond(
    req,
    res,
    async () => {
      const anchored = claims.filter((c) => !c.quoteMissing);
      // This report's claimants; the browser script suggests the desk's others as one types.
      const reportClaimants = await claimantSuggestions(db, { reportId: report.id, limit: 50 });
      const { bulk } = can(req.user, 'bulk.act')
        ? await bulkPanel(db, req.user!, { list: 'report', reportId: report.id, matching: claims.length, back: `/reports/${report.id}` })
        : { bulk: null };
      res.render('reports/show', {
        title: report.title,
        bodyClass: 'page-report',
        report,
        bulk,
        paragraphs: highlightBody(report.body, anchored.map((c) => ({ id: c.id, start: c.quoteStart, end: c.quoteEnd, status: c.status }))),
        claims,
        counts,
        statuses: STATUSES,
        claimants: reportClaimants,
        log: { values: logForm.values ?? {}, errors: logForm.errors ?? {} },
      });
    },
    () => ({
      report: { ...report, claimCounts: counts },
      claims: claims.map(claimJson),
    }),
  );
}

/** Reports with their claims counted by status (the progress bars of the reports list and the dashboard). */
export async function withClaimCounts(db: Db, page: ReportPage): Promise<{ reports: (ReportSummary & { claimCounts: Partial<Record<Status, number>>; claimTotal: number })[]; next: string | null }> {
  const counts = await claimCountsByReport(db, page.reports.map((r) => r.id));
  return { reports: page.reports.map((r) => ({ ...r, ...(counts.get(r.id) ?? { claimCounts: {}, claimTotal: 0 }) })), next: page.next };
}
