import type { TimelineEntry } from '../audit/events.repo.ts';
import type { Claim } from '../claims/claims.repo.ts';
import { CONFIDENCE_LEVELS } from '../claims/fields.ts';
import { RECHECK_PERIOD_LABELS, RECHECK_PERIODS, recheckStanding } from '../claims/recheck-dates.ts';
import { isBackWithEditors, isDecided, isInQueue, STATUS_LABELS } from '../claims/statuses.ts';
import type { VerdictLabel } from '../claims/verdict-labels.repo.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { can, type Actor } from '../platform/policies.ts';
import type { Suggestion } from '../sources/confidence.ts';
import type { EvidenceLink } from '../sources/evidence.repo.ts';
import { actionsFrom, DECISION_ACTIONS, TRANSITIONS, type TransitionAction } from './states.ts';

/** The URL segment of each transition's route. */
export const ACTION_PATHS: Record<TransitionAction, string> = {
  submit: 'submit',
  resubmit: 'resubmit',
  request_changes: 'request-changes',
  verify: 'verify',
  refute: 'refute',
  mark_unverifiable: 'mark-unverifiable',
  reopen: 'reopen',
  withdraw: 'withdraw',
  restore: 'restore',
};

/**
 * The review panel of the claim page: exactly the transitions the state
 * table allows from the claim's status that the policies let this user take,
 * the decisions (the table's actions for a reviewer who is not an author) in
 * one form, and what the queue lets them do. The view only reads these flags.
 */
export function reviewPanel(
  user: Actor,
  claim: Claim,
  state: {
    evidence: EvidenceLink[];
    suggestion: Suggestion;
    panel: string | null;
    values: Record<string, unknown>;
    errors: FieldErrors;
    /** Reviewers the claim may be assigned to (none of its authors). */
    reviewers: { id: number; displayName: string }[];
    timeline: TimelineEntry[];
    /** Today on the desk's clock (YYYY-MM-DD). */
    today: string;
    /** The desk's verdict labels, in their order (for a reviewer who may decide). */
    labels: VerdictLabel[];
  },
) {
  const allowed = actionsFrom(claim.status).filter((a) => can(user, TRANSITIONS[a].who, claim));
  const isDecision = (a: string) => (DECISION_ACTIONS as readonly string[]).includes(a);
  const decisions = allowed.filter(isDecision);
  const others = allowed.filter((a) => !isDecision(a));
  const inQueue = isInQueue(claim.status);
  // A reviewer whom the four-eyes rule keeps from deciding: the policy allows their role, not them on this claim.
  const authorNote = inQueue && can(user, 'claim.decide') && !can(user, 'claim.decide', claim);
  // While the claim is back with its editors, the request that sent it back stays in view.
  const request = isBackWithEditors(claim.status) ? state.timeline.filter((e) => e.type === 'transition' && e.to === claim.status).at(-1) : undefined;
  const isOwn = (a: string) => state.panel === a || (state.panel === 'decision' && isDecision(a));
  const decisionPanel = state.panel === 'decision' || isDecision(state.panel ?? '');
  const canAssign = can(user, 'queue.work') && inQueue;
  return {
    actionsPanel: {
      claim,
      decisions: decisions.map((a) => ({ action: a, path: ACTION_PATHS[a], label: TRANSITIONS[a].label })),
      others: others.map((a) => ({
        action: a,
        path: ACTION_PATHS[a],
        label: TRANSITIONS[a].label,
        comment: TRANSITIONS[a].comment,
        errors: isOwn(a) ? state.errors : {},
        values: isOwn(a) ? state.values : {},
      })),
      // A reviewer who wrote the claim sees why there is no decision panel.
      authorNote,
      lastRequest: request ? { actorName: request.actorName ?? 'Factdesk', at: request.at, comment: request.comment } : null,
      // Once a claim is decided or sent back, a reviewer's next step is the queue.
      nextInQueue: can(user, 'queue.work') && (isDecided(claim.status) || isBackWithEditors(claim.status) || authorNote),
      decisionErrors: decisionPanel ? state.errors : {},
      decisionValues: decisionPanel ? state.values : {},
      suggestion: state.suggestion,
      confidenceLevels: CONFIDENCE_LEVELS,
      contradicted: state.evidence.some((e) => e.relation === 'contradicts'),
      inQueue,
      canAssign,
      reviewers: state.reviewers,
      assignErrors: state.panel === 'assign' ? state.errors : {},
      assignValues: state.panel === 'assign' ? state.values : {},
      canTake: inQueue && claim.assigneeId !== user.id && can(user, 'claim.review', claim),
      canRelease: canAssign && claim.assigneeId === user.id,
      periods: RECHECK_PERIODS.map((p) => ({ value: p, label: RECHECK_PERIOD_LABELS[p] })),
      verdictLabels: state.labels.map((l) => ({ value: l.id, label: `${l.name} (${STATUS_LABELS[l.status].toLowerCase()})`, hint: l.description, colour: l.colour })),
      // A decided claim is checked again and confirmed by a reviewer who could decide it.
      recheck: isDecided(claim.status) && can(user, 'claim.decide', claim)
        ? { errors: state.panel === 'recheck' ? state.errors : {}, values: state.panel === 'recheck' ? state.values : {}, today: state.today }
        : null,
    },
    recheckStanding: recheckStanding(claim.recheckBy, state.today),
    commentForm: can(user, 'claim.comment', claim)
      ? { claim, values: state.panel === 'comment' ? state.values : {}, errors: state.panel === 'comment' ? state.errors : {} }
      : null,
  };
}
