import type { Request, Response } from 'express';
import { describeTimeline } from '../audit/describe.ts';
import { claimTimeline } from '../audit/events.ts';
import type { Db } from '../platform/database.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { respond } from '../platform/http.ts';
import { can } from '../platform/policies.ts';
import { paragraphsOf } from '../reports/text.ts';
import { eligibleReviewers } from '../review/queue.ts';
import { reviewPanel } from '../review/review-panel.ts';
import { canChangeEvidenceIn, canEditIn, STATUS_LABELS } from './statuses.ts';
import { suggestConfidence } from '../sources/confidence.ts';
import { evidenceOfClaim } from '../sources/evidence.repo.ts';
import { CREDIBILITY, RELATIONS, RELIABILITY } from '../sources/ratings.ts';
import { listSources, SOURCE_KIND_LABELS, SOURCE_KINDS, type Source } from '../sources/sources.repo.ts';
import type { Claim } from './claims.repo.ts';

/** The paragraph a quote sits in, cut around the quote. */
export interface QuoteContext {
  before: string;
  quote: string;
  after: string;
}

/** State of a form on the claim page that was refused: which panel, its input and messages. */
export interface PanelState {
  errors?: FieldErrors;
  values?: Record<string, unknown>;
  /** 'evidence', 'comment' or a transition action. */
  panel?: string;
  offeredSource?: Source | null;
}

/**
 * The claim page: statement, the quote in its paragraph, evidence with the
 * confidence suggestion, the actions this user may take, and the history.
 */
export async function renderClaimPage(db: Db, req: Request, res: Response, claim: Claim, state: PanelState): Promise<void> {
  const sourceQuery = typeof req.query.sourceQuery === 'string' ? req.query.sourceQuery.slice(0, 200) : '';
  const [timeline, report, evidence, found, reviewers] = await Promise.all([
    claimTimeline(db, claim.id),
    db('reports').select('body', 'url', 'revision').where({ id: claim.reportId }).first() as Promise<{ body: string; url: string | null; revision: number }>,
    evidenceOfClaim(db, claim.id),
    sourceQuery ? listSources(db, { q: sourceQuery, limit: 8 }) : Promise.resolve(null),
    can(req.user, 'queue.work') && claim.status === 'in_review' ? eligibleReviewers(db, claim.authors) : Promise.resolve([]),
  ]);
  const suggestion = suggestConfidence(evidence.map((e) => ({ ...e, sourceId: e.sourceId })));
  const errors = state.errors ?? {};
  const values = state.values ?? {};
  await respond(
    req,
    res,
    () =>
      res.render('claims/show', {
        title: `Claim #${claim.id}`,
        claim,
        context: quoteContext(report.body, claim),
        reportUrl: report.url,
        timeline: describeTimeline(timeline),
        editable: canEditIn(claim.status),
        statusLabels: STATUS_LABELS,
        suggestion,
        errors,
        evidencePanel: {
          claim,
          evidence,
          suggestion,
          open: canChangeEvidenceIn(claim.status),
          canManage: can(req.user, 'evidence.manage', claim),
          sourceQuery,
          results: found?.sources ?? [],
          offered: state.offeredSource ?? null,
          values: state.panel === 'evidence' ? values : {},
          errors: state.panel === 'evidence' ? errors : {},
          relations: RELATIONS,
          reliabilities: RELIABILITY,
          credibilities: CREDIBILITY,
          sourceKinds: SOURCE_KINDS,
          sourceKindLabels: SOURCE_KIND_LABELS,
        },
        ...reviewPanel(req.user!, claim, { evidence, suggestion, panel: state.panel ?? null, values, errors, reviewers, timeline }),
      }),
    () => ({ claim, evidence, suggestion, timeline }),
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
