import type { Request, Response } from 'express';
import { bulkPanel } from '../bulk/bulk-panel.ts';
import { claimJson } from '../claims/claim-json.ts';
import { can } from '../platform/policies.ts';
import { claimantSuggestions, claimCountsByReport, claimsOfReport } from '../claims/claim-lists.repo.ts';
import { anchorAt } from '../claims/anchor.ts';
import { highlightBody, unquoted } from '../claims/highlight.ts';
import type { Suggestion } from '../reports/checkworthiness.ts';
import { suggestionsOf } from '../reports/suggestions.ts';
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
  const anchored = claims.filter((c) => !c.quoteMissing);
  const suggestions = await shownSuggestions(db, req.user, report, anchored);
  await respond(
    req,
    res,
    async () => {
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
        paragraphs: highlightBody(report.body, anchored.map((c) => ({ id: c.id, start: c.quoteStart, end: c.quoteEnd, status: c.status })), suggestions ?? []),
        suggestions,
        claims,
        counts,
        statuses: STATUSES,
        claimants: reportClaimants,
        log: { values: filled(logForm.values) ?? suggestedQuote(report.body, req.query.suggest) ?? {}, errors: logForm.errors ?? {} },
      });
    },
    () => ({
      report: { ...report, claimCounts: counts },
      claims: claims.map(claimJson),
      ...(suggestions ? { suggestions: suggestions.map(({ start, end, text, score, reasons }) => ({ start, end, text, score, reasons })) } : {}),
    }),
  );
}

/** A suggested sentence as the page lists it: numbered, with its text. */
export type ShownSuggestion = Suggestion & { n: number; text: string };

/**
 * The sentences to suggest to this person: none when they turned suggestions
 * off; never one that a claim already quotes. Null when scoring took too long.
 */
async function shownSuggestions(db: Db, user: Express.User | undefined, report: Report, anchored: { quoteStart: number; quoteEnd: number }[]): Promise<ShownSuggestion[] | null> {
  if (!user || user.showSuggestions === false) return [];
  const all = await suggestionsOf(db, report);
  if (!all) return null;
  return unquoted(all, anchored.map((c) => ({ start: c.quoteStart, end: c.quoteEnd }))).map((g, i) => ({ ...g, n: i + 1, text: report.body.slice(g.start, g.end) }));
}

/** "Log this" on a suggestion (?suggest=START-END): the log form filled with that sentence as the quote and as a first statement. */
function suggestedQuote(body: string, param: unknown): Record<string, unknown> | null {
  const range = typeof param === 'string' ? /^(\d{1,7})-(\d{1,7})$/.exec(param) : null;
  if (!range) return null;
  const start = Number(range[1]);
  const end = Number(range[2]);
  if (!(start < end && end <= body.length && end - start <= MAX_SUGGESTED_QUOTE)) return null;
  const anchor = anchorAt(body, start, end);
  return { quote: anchor.exact, quoteStart: start, quoteEnd: end, quotePrefix: anchor.prefix, quoteSuffix: anchor.suffix, statement: anchor.exact };
}

/** A refused form's values, or null for a form that was not sent. */
const filled = (values: Record<string, unknown> | undefined) => (values && Object.keys(values).length > 0 ? values : null);

/** The longest passage a suggestion link fills the form with (a sentence is far shorter). */
const MAX_SUGGESTED_QUOTE = 2000;

/** Reports with their claims counted by status (the progress bars of the reports list and the dashboard). */
export async function withClaimCounts(db: Db, page: ReportPage): Promise<{ reports: (ReportSummary & { claimCounts: Partial<Record<Status, number>>; claimTotal: number })[]; next: string | null }> {
  const counts = await claimCountsByReport(db, page.reports.map((r) => r.id));
  return { reports: page.reports.map((r) => ({ ...r, ...(counts.get(r.id) ?? { claimCounts: {}, claimTotal: 0 }) })), next: page.next };
}
