import type { Claim } from '../claims/claims.repo.ts';
import { CONFIDENCE_LEVELS } from '../claims/fields.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { can, isAuthorOf, isReviewer, type Actor } from '../platform/policies.ts';
import type { Suggestion } from '../sources/confidence.ts';
import type { EvidenceLink } from '../sources/evidence.repo.ts';
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
  state: { evidence: EvidenceLink[]; suggestion: Suggestion; panel: string | null; values: Record<string, unknown>; errors: FieldErrors },
) {
  const allowed = actionsFrom(claim.status).filter((a) => can(user, TRANSITIONS[a].who, claim));
  const decisions = allowed.filter((a) => DECISIONS.includes(a));
  const others = allowed.filter((a) => !DECISIONS.includes(a));
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
      authorNote: isReviewer(user) && claim.status === 'in_review' && isAuthorOf(user, claim),
      decisionErrors: state.panel === 'decision' || DECISIONS.includes(state.panel as TransitionAction) ? state.errors : {},
      decisionValues: state.panel === 'decision' || DECISIONS.includes(state.panel as TransitionAction) ? state.values : {},
      suggestion: state.suggestion,
      confidenceLevels: CONFIDENCE_LEVELS,
      contradicted: state.evidence.some((e) => e.relation === 'contradicts'),
      canAssign: can(user, 'queue.work') && claim.status === 'in_review',
      canTake: can(user, 'queue.work') && claim.status === 'in_review' && claim.assigneeId !== user.id && !isAuthorOf(user, claim),
      userId: user.id,
    },
    commentForm: can(user, 'claim.comment', claim)
      ? { claim, values: state.panel === 'comment' ? state.values : {}, errors: state.panel === 'comment' ? state.errors : {} }
      : null,
  };
}
