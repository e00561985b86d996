import { STATUS_LABELS, type Status } from '../claims/statuses.ts';
import type { FieldErrors } from '../platform/errors.ts';
import type { Action } from '../platform/policies.ts';

/**
 * The verification state machine of DESIGN.md: which action moves a claim from
 * which status to which, who may take it (a policy name), and what must be
 * true first. The only place that knows it: the routes (one per action), the
 * buttons of the review panel, the database's edge trigger and the tests all
 * follow this table. The statuses themselves and what each allows are the
 * claims' (claims/statuses.ts).
 */

/** What the guards look at. */
export interface TransitionContext {
  statement: string;
  confidence: string | null;
  comment: string | null;
  evidence: { supports: number; contradicts: number; total: number };
  /** The claim's quote is no longer in the report's current revision. */
  quoteMissing: boolean;
  /** The claim is confirmed to repeat an earlier, decided claim (whose evidence a reviewer may reuse). */
  repeatsDecided?: boolean;
}

export interface Transition {
  from: readonly Status[];
  to: Status;
  /** The policy that says who may take this action. */
  who: Action;
  label: string;
  /** How the comment field is labelled on the form, whether it is always required, and what a user who left it empty is told. */
  comment: { label: string; required: boolean; missing?: string };
  /** Further conditions, each failure a message keyed by the field to fix. */
  guard?: (ctx: TransitionContext) => FieldErrors;
  /** Whether this action sets the claim's confidence (from the form). */
  setsConfidence?: boolean;
  /** Whether the comment becomes the claim's decision rationale. */
  setsRationale?: boolean;
  /** Whether the decision (who decided, when) is cleared. */
  clearsDecision?: boolean;
  /** Whether the claim's reviewer lets go of it. */
  releasesAssignee?: boolean;
}

// A quote that a correction removed from the report cannot be reviewed or decided against the copy.
const QUOTE_GONE = 'The quote is no longer in the report’s current text. Edit the claim to anchor it to the corrected text, or withdraw it.';

const readyForReview = (ctx: TransitionContext): FieldErrors => {
  const errors: FieldErrors = {};
  if (!ctx.statement.trim()) errors.statement = 'Write the checkable statement before submitting the claim.';
  if (ctx.evidence.total === 0 && !ctx.repeatsDecided) {
    errors.evidence = 'Link at least one source (the origin, or evidence for or against), or link the claim to an earlier decided claim it repeats, before submitting it.';
  }
  if (ctx.quoteMissing) errors.quote = QUOTE_GONE;
  return errors;
};

/** What every verdict needs: the quote still in the report. */
const decidable = (ctx: TransitionContext): FieldErrors => (ctx.quoteMissing ? { quote: QUOTE_GONE } : {});

export const TRANSITIONS = {
  submit: {
    from: ['draft'],
    to: 'in_review',
    who: 'claim.progress',
    label: 'Submit for review',
    comment: { label: 'Note for the reviewer', required: false },
    guard: readyForReview,
  },
  resubmit: {
    from: ['changes_requested'],
    to: 'in_review',
    who: 'claim.progress',
    label: 'Resubmit for review',
    comment: { label: 'What you changed', required: false },
    guard: readyForReview,
  },
  request_changes: {
    from: ['in_review'],
    to: 'changes_requested',
    who: 'claim.decide',
    label: 'Request changes',
    comment: { label: 'What needs to change', required: true, missing: 'Write what needs to change, so the editors know what to do.' },
  },
  verify: {
    from: ['in_review'],
    to: 'verified',
    who: 'claim.decide',
    label: 'Verify',
    comment: { label: 'Rationale', required: false },
    setsConfidence: true,
    setsRationale: true,
    guard: (ctx): FieldErrors => {
      const errors: FieldErrors = decidable(ctx);
      if (ctx.evidence.supports === 0) errors.evidence = 'A claim can only be verified with at least one supporting source. Link one first.';
      if (!ctx.confidence) errors.confidence = 'Choose how confident the desk is in this verdict.';
      if (ctx.evidence.contradicts > 0 && !ctx.comment?.trim()) {
        errors.comment = 'Some evidence contradicts this claim: explain in the rationale why it is verified anyway.';
      }
      return errors;
    },
  },
  refute: {
    from: ['in_review'],
    to: 'refuted',
    who: 'claim.decide',
    label: 'Refute',
    comment: { label: 'Rationale', required: true, missing: 'Write the rationale: what shows the claim is false.' },
    setsConfidence: true,
    setsRationale: true,
    guard: (ctx): FieldErrors => ({
      ...decidable(ctx),
      ...(ctx.evidence.contradicts === 0 ? { evidence: 'A claim can only be refuted with at least one contradicting source. Link one first.' } : {}),
    }),
  },
  mark_unverifiable: {
    from: ['in_review'],
    to: 'unverifiable',
    who: 'claim.decide',
    label: 'Mark unverifiable',
    comment: { label: 'Rationale', required: true, missing: 'Write the rationale: why the claim can be neither verified nor refuted.' },
    setsConfidence: true,
    setsRationale: true,
    guard: decidable,
  },
  reopen: {
    from: ['verified', 'refuted', 'unverifiable'],
    to: 'changes_requested',
    who: 'claim.reopen',
    label: 'Reopen',
    comment: { label: 'Why it is reopened', required: true, missing: 'Write why the claim is reopened, so its editors know what to look at.' },
    clearsDecision: true,
  },
  withdraw: {
    from: ['draft', 'in_review', 'changes_requested'],
    to: 'withdrawn',
    who: 'claim.progress',
    label: 'Withdraw',
    comment: { label: 'Why it is withdrawn', required: false },
    releasesAssignee: true,
  },
  restore: {
    from: ['withdrawn'],
    to: 'draft',
    who: 'claim.progress',
    label: 'Restore to draft',
    comment: { label: 'Note', required: false },
  },
} as const satisfies Record<string, Transition>;

export type TransitionAction = keyof typeof TRANSITIONS;
export const TRANSITION_ACTIONS = Object.keys(TRANSITIONS) as TransitionAction[];

/** The decisions: the actions only a reviewer who is not an author may take (one form with a button each on the claim page). */
export const DECISION_ACTIONS: readonly TransitionAction[] = TRANSITION_ACTIONS.filter((action) => TRANSITIONS[action].who === 'claim.decide');

/** The actions whose `from` includes this status. */
export function actionsFrom(status: Status): TransitionAction[] {
  return TRANSITION_ACTIONS.filter((action) => (TRANSITIONS[action].from as readonly Status[]).includes(status));
}

/**
 * Checks one transition against the table: the status allows it, the
 * required comment is there, the guard passes. Returns the field messages
 * (empty when allowed). Who may act is the policies' question, not this one.
 */
export function checkTransition(action: TransitionAction, from: Status, ctx: TransitionContext): FieldErrors {
  const t: Transition = TRANSITIONS[action];
  if (!(t.from as readonly Status[]).includes(from)) {
    return { form: `A claim that is ${STATUS_LABELS[from].toLowerCase()} cannot be ${pastTense(action)}.` };
  }
  const errors: FieldErrors = {};
  if (t.comment.required && !ctx.comment?.trim()) errors.comment = t.comment.missing ?? `Write ${t.comment.label.toLowerCase()}.`;
  return { ...errors, ...(t.guard?.(ctx) ?? {}) };
}

/** What taking an action did, in words: "verified", "sent back for changes". */
export function pastTense(action: TransitionAction): string {
  const words: Record<TransitionAction, string> = {
    submit: 'submitted for review',
    resubmit: 'resubmitted',
    request_changes: 'sent back for changes',
    verify: 'verified',
    refute: 'refuted',
    mark_unverifiable: 'marked unverifiable',
    reopen: 'reopened',
    withdraw: 'withdrawn',
    restore: 'restored',
  };
  return words[action];
}
