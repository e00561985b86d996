import type { Request, Response } from 'express';
import { claimTimeline } from '../audit/events.repo.ts';
import { repeatsOfClaim } from '../claims/claim-repeats.repo.ts';
import type { Claim } from '../claims/claims.repo.ts';
import { repeatsPanel } from '../claims/repeats-panel.ts';
import { quoteContext } from '../claims/quote-context.ts';
import { dayOf } from '../claims/recheck-dates.ts';
import { canEditIn, isInQueue, STATUS_LABELS } from '../claims/statuses.ts';
import { listLabels } from '../claims/verdict-labels.repo.ts';
import type { Db } from '../platform/database.ts';
import { respond } from '../platform/http.ts';
import { can } from '../platform/policies.ts';
import { reportText } from '../reports/reports.repo.ts';
import { eligibleReviewers } from '../review/queue.ts';
import { reviewPanel } from '../review/review-panel.ts';
import { evidenceWithProvenance } from '../sources/claim-provenance.ts';
import { suggestConfidence } from '../sources/confidence.ts';
import { evidencePanel, type EvidenceFormState } from '../sources/evidence-panel.ts';
import { listSources } from '../sources/sources.repo.ts';
import { describeTimeline } from './claim-timeline.ts';

/** A refused form on the claim page: which panel, its input and messages (and, for evidence, the source offered). */
export type ClaimPageState = EvidenceFormState;

/**
 * The claim page: statement, the quote in its paragraph, the evidence panel
 * (sources), the review panel (review) and the history (audit). Each feature
 * builds its own panel; this screen puts them together.
 */
export async function renderClaimPage(db: Db, req: Request, res: Response, claim: Claim, state: ClaimPageState, now: Date): Promise<void> {
  const sourceQuery = typeof req.query.sourceQuery === 'string' ? req.query.sourceQuery.slice(0, 200) : '';
  const [timeline, report, { evidence, provenance }, found, reviewers, labels, repeats] = await Promise.all([
    claimTimeline(db, claim.id),
    reportText(db, claim.reportId),
    evidenceWithProvenance(db, claim.id),
    sourceQuery ? listSources(db, { q: sourceQuery, limit: 8 }) : Promise.resolve(null),
    can(req.user, 'queue.work') && isInQueue(claim.status) ? eligibleReviewers(db, claim) : Promise.resolve([]),
    isInQueue(claim.status) && can(req.user, 'claim.decide', claim) ? listLabels(db) : Promise.resolve([]),
    repeatsOfClaim(db, claim.id),
  ]);
  const suggestion = suggestConfidence(evidence);
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
        canEdit: canEditIn(claim.status) && can(req.user, 'claim.edit', claim),
        statusLabels: STATUS_LABELS,
        suggestion,
        errors,
        repeatsPanel: { ...repeatsPanel(req.user!, claim, repeats), errors: state.panel === 'repeats' ? errors : {}, values: state.panel === 'repeats' ? values : {} },
        evidencePanel: evidencePanel(req.user, claim, { evidence, suggestion, provenance, sourceQuery, results: found?.sources ?? [], form: state }),
        ...reviewPanel(req.user!, claim, { evidence, suggestion, panel: state.panel ?? null, values, errors, reviewers, timeline, labels, today: dayOf(now) }),
      }),
    () => ({ claim, evidence, suggestion, provenance: { ...provenance, bySource: Object.fromEntries(provenance.bySource) }, timeline, repeats }),
  );
}
