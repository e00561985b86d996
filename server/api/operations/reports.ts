import { z } from 'zod';
import { claimsOfReport } from '../../claims/claim-lists.repo.ts';
import { optionalText } from '../../platform/validate.ts';
import { checkedReport, parseReportFields } from '../../reports/report-form.ts';
import { loadReport } from '../../reports/report-loader.ts';
import { createReport } from '../../reports/reports.commands.ts';
import { findReport, listReports } from '../../reports/reports.repo.ts';
import { ReportFields } from '../../reports/schemas.ts';
import type { ApiContext } from '../context.ts';
import { pageOf, ReportOut, reportOut, ReportSummaryOut, reportSummaryOut } from '../schemas.ts';

/** Reports: the list, one report with its text and claims, and importing one from its text. */
export function reportOperations({ db, router, ops, config }: ApiContext): void {
  ops.add(
    router,
    {
      method: 'get',
      path: '/api/v1/reports',
      id: 'listReports',
      tag: 'Reports',
      summary: 'List reports',
      description: 'Newest first, 50 at a time; `q` searches titles and outlets.',
      policy: 'desk.read',
      query: z.object({ q: optionalText('search', 200), after: optionalText('the cursor', 500) }),
      responses: { 200: { description: 'A page of reports.', schema: pageOf(ReportSummaryOut) } },
    },
    async (_req, res, { query }) => {
      const page = await listReports(db, { q: query.q, after: query.after, limit: 50 });
      res.json({ items: page.reports.map((r) => reportSummaryOut(r, config.baseUrl)), next: page.next });
    },
  );

  ops.add(
    router,
    { method: 'get', path: '/api/v1/reports/:id', id: 'getReport', tag: 'Reports', summary: 'Read a report, with its text and claims', policy: 'desk.read', responses: { 200: { description: 'The report.', schema: ReportOut } } },
    async (req, res) => {
      const report = await loadReport(db, req);
      res.json(reportOut(report, await claimsOfReport(db, report.id), config.baseUrl));
    },
  );

  ops.add(
    router,
    {
      method: 'post',
      path: '/api/v1/reports',
      id: 'createReport',
      tag: 'Reports',
      summary: 'Import a report from its text',
      description: 'The title and the text (at most 1 MB) are required; the text is stored in its normal form (NFC, \\n line breaks), which claims’ offsets count in.',
      policy: 'report.create',
      body: ReportFields,
      responses: { 201: { description: 'The report.', schema: ReportOut } },
    },
    async (req, res, { body }) => {
      const id = await createReport(db, req.user!, checkedReport(parseReportFields(ReportFields, body, 'import'), null, 'import'));
      res.status(201).location(`/api/v1/reports/${id}`).json(reportOut((await findReport(db, id))!, [], config.baseUrl));
    },
  );
}
