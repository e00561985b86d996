import type { Request, Response } from 'express';
import { describeEntry } from '../audit/describe.ts';
import { claimTimeline } from '../audit/events.ts';
import type { Db } from '../platform/database.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { respond } from '../platform/http.ts';
import { paragraphsOf } from '../reports/text.ts';
import { canEditIn, STATUS_LABELS } from '../review/states.ts';
import type { Claim } from './claims.repo.ts';
import { CONFIDENCE_LABELS, KIND_LABELS, PRIORITY_LABELS } from './fields.ts';

/** The paragraph a quote sits in, cut around the quote. */
export interface QuoteContext {
  before: string;
  quote: string;
  after: string;
}

/**
 * The claim page: statement, the quote in its paragraph, fields, history.
 * `panels` carries form state when a form on this page was refused.
 */
export async function renderClaimPage(db: Db, req: Request, res: Response, claim: Claim, panels: { errors?: FieldErrors; values?: Record<string, unknown>; panel?: string }): Promise<void> {
  const [timeline, report] = await Promise.all([
    claimTimeline(db, claim.id),
    db('reports').select('body', 'url', 'revision').where({ id: claim.reportId }).first() as Promise<{ body: string; url: string | null; revision: number }>,
  ]);
  await respond(
    req,
    res,
    () =>
      res.render('claims/show', {
        title: `Claim #${claim.id}`,
        claim,
        context: quoteContext(report.body, claim),
        reportUrl: report.url,
        timeline: timeline.map(describeEntry),
        editable: canEditIn(claim.status),
        statusLabels: STATUS_LABELS,
        kindLabels: KIND_LABELS,
        priorityLabels: PRIORITY_LABELS,
        confidenceLabels: CONFIDENCE_LABELS,
        errors: panels.errors ?? {},
        values: panels.values ?? {},
        panel: panels.panel ?? null,
      }),
    () => ({ claim, timeline }),
  );
}

/** The paragraph holding the quote, split at the quote; null when the quote is gone from the text. */
export function quoteContext(body: string, claim: Pick<Claim, 'quoteStart' | 'quoteEnd' | 'quoteMissing'>): QuoteContext | null {
  if (claim.quoteMissing) return null;
  const paragraph = paragraphsOf(body).find((p) => p.start <= claim.quoteStart && claim.quoteStart < p.end);
  if (!paragraph) return null;
  const end = Math.min(claim.quoteEnd, paragraph.end);
  return {
    before: body.slice(paragraph.start, claim.quoteStart),
    quote: body.slice(claim.quoteStart, end),
    after: body.slice(end, paragraph.end),
  };
}
