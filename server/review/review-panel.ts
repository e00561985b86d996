import type { TimelineEntry } from '../audit/events.ts';
import type { Claim } from '../claims/claims.repo.ts';
import { CONFIDENCE_LEVELS } from '../claims/fields.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { can, isAuthorOf, isReviewer, type Actor } from '../platform/policies.ts';
import type { Suggestion } from '../sources/confidence.ts';
import type { EvidenceLink } from '../sources/evidence.repo.ts';
import { isDecided } from '../claims/statuses.ts';
import { actionsFrom, TRANSITIONS, type TransitionAction } from './states.ts';

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

const DECISIONS: TransitionAction[] = ['verify', 'refute', 'mark_unverifiable', 'request_changes'];

/**
 * Which actions the claim page offers this user: exactly the transitions the
 * state table allows from the claim's status that the policies let them take.
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
  },
) {
  const allowed = actionsFrom(claim.status).filter((a) => can(user, TRANSITIONS[a].who, claim));
  const decisions = allowed.filter((a) => DECISIONS.includes(a));
  const others = allowed.filter((a) => !DECISIONS.includes(a));
  const authorNote = isReviewer(user) && claim.status === 'in_review' && isAuthorOf(user, claim);
  // While the claim is back with its editors, the request that sent it back stays in view.
  const request = claim.status === 'changes_requested' ? state.timeline.filter((e) => e.type === 'transition' && e.to === 'changes_requested').at(-1) : undefined;
  const isOwn = (a: string) => state.panel === a || (state.panel === 'decision' && DECISIONS.includes(a as TransitionAction));
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
      nextInQueue: can(user, 'queue.work') && (isDecided(claim.status) || claim.status === 'changes_requested' || authorNote),
      decisionErrors: state.panel === 'decision' || DECISIONS.includes(state.panel as TransitionAction) ? state.errors : {},
      decisionValues: state.panel === 'decision' || DECISIONS.includes(state.panel as TransitionAction) ? state.values : {},
      suggestion: state.suggestion,
      confidenceLevels: CONFIDENCE_LEVELS,
      contradicted: state.evidence.some((e) => e.relation === 'contradicts'),
      canAssign: can(user, 'queue.work') && claim.status === 'in_review',
      reviewers: state.reviewers,
      assignErrors: state.panel === 'assign' ? state.errors : {},
      assignValues: state.panel === 'assign' ? state.values : {},
      canTake: can(user, 'queue.work') && claim.status === 'in_review' && claim.assigneeId !== user.id && !isAuthorOf(user, claim),
      userId: user.id,
    },
    commentForm: can(user, 'claim.comment', claim)
      ? { claim, values: state.panel === 'comment' ? state.values : {}, errors: state.panel === 'comment' ? state.errors : {} }
      : null,
  };
}
