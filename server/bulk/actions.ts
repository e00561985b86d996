import type { Claim } from '../claims/claims.repo.ts';
import type { SkippedClaim } from '../claims/selections.repo.ts';
import { canEditIn, isInQueue, STATUS_LABELS, whyNotEditable } from '../claims/statuses.ts';
import { can, type Action, type Actor } from '../platform/policies.ts';
import { checkTransition, pastTense, TRANSITIONS, type TransitionAction } from '../review/states.ts';

/**
 * The bulk actions and, for each, which claims it changes: a pure check per
 * claim that asks the same rules a single action asks (the state table, the
 * policies with the four-eyes rule, the editable statuses), so the preview
 * says in advance what applying will do. Applying runs each claim through the
 * single action's own command (bulk.commands.ts).
 */

export const BULK_ACTIONS = ['add_tag', 'remove_tag', 'set_priority', 'assign', 'unassign', 'submit', 'withdraw', 'verify', 'mark_unverifiable', 'export'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** What a bulk action is given besides the claims. */
export interface BulkParams {
  tag?: string;
  priority?: number;
  assigneeId?: number;
  assigneeName?: string;
  note?: string | null;
  confidence?: 'high' | 'moderate' | 'low';
}

/** A claim as the checks see it: its row, its evidence counts, and whether it repeats a decided claim. */
export interface BulkClaim extends Claim {
  evidence: { supports: number; contradicts: number; total: number };
  repeatsDecided: boolean;
}

/** The reviewer an assignment names, as the four-eyes check needs them. */
export type Assignee = Actor & { displayName: string; disabled: boolean };

interface Definition {
  label: string;
  /** The policy a person needs to be offered the action at all. */
  policy: Action;
  /** What it does to `n` ("3 claims"), as the preview says it: "add the tag “budget” to 3 claims". */
  does: (p: BulkParams, n: string) => string;
  /** Why it leaves a claim as it is, or null when it changes it. */
  check: (claim: BulkClaim, actor: Actor, p: BulkParams, assignee: Assignee | null) => Omit<SkippedClaim, 'id'> | null;
}

const skip = (code: string, reason: string) => ({ code, reason });
const notAllowed = skip('not_allowed', 'Your account may not do this to this claim.');

/** Tags and priority change as a claim's fields do: only while it may be edited. */
const fieldCheck = (claim: BulkClaim, actor: Actor) => {
  if (!canEditIn(claim.status)) return skip(`frozen_${claim.status}`, whyNotEditable(claim.status));
  if (!can(actor, 'claim.edit', claim)) return notAllowed;
  return null;
};

/** A transition's check: the state table's statuses, the policy (four-eyes for decisions) and the guards. */
const transitionCheck = (action: TransitionAction) => (claim: BulkClaim, actor: Actor, p: BulkParams) => {
  const t = TRANSITIONS[action];
  if (!(t.from as readonly string[]).includes(claim.status)) {
    return skip(`status_${claim.status}`, `It is ${STATUS_LABELS[claim.status].toLowerCase()}: only claims that are ${t.from.map((s) => STATUS_LABELS[s].toLowerCase()).join(' or ')} can be ${pastTense(action)}.`);
  }
  if (!can(actor, t.who, claim)) return t.who === 'claim.decide' ? skip('four_eyes', 'You wrote or edited it, so you may not decide it (the four-eyes rule).') : notAllowed;
  const errors = checkTransition(action, claim.status, { statement: claim.statement, confidence: p.confidence ?? claim.confidence, comment: p.note ?? null, evidence: claim.evidence, quoteMissing: claim.quoteMissing, repeatsDecided: claim.repeatsDecided });
  const first = Object.entries(errors)[0];
  return first ? skip(`guard_${first[0]}`, first[1]) : null;
};

export const BULK: Record<BulkAction, Definition> = {
  add_tag: {
    label: 'Add a tag',
    policy: 'claim.edit',
    does: (p, n) => `add the tag “${p.tag}” to ${n}`,
    check: (claim, actor, p) => fieldCheck(claim, actor) ?? (claim.tags.includes(p.tag!) ? skip('already', 'It has this tag already.') : claim.tags.length >= 20 ? skip('too_many_tags', 'It has 20 tags, the most a claim may have.') : null),
  },
  remove_tag: {
    label: 'Remove a tag',
    policy: 'claim.edit',
    does: (p, n) => `remove the tag “${p.tag}” from ${n}`,
    check: (claim, actor, p) => fieldCheck(claim, actor) ?? (claim.tags.includes(p.tag!) ? null : skip('already', 'It does not have this tag.')),
  },
  set_priority: {
    label: 'Set the priority',
    policy: 'claim.edit',
    does: (p, n) => `set the priority of ${n} to ${p.priority}`,
    check: (claim, actor, p) => fieldCheck(claim, actor) ?? (claim.priority === p.priority ? skip('already', 'It has this priority already.') : null),
  },
  assign: {
    label: 'Assign to a reviewer',
    policy: 'queue.work',
    does: (p, n) => `assign ${n} to ${p.assigneeName ?? 'the reviewer'}${p.note ? `, with the note “${p.note}”` : ''}`,
    check: (claim, actor, p, assignee) => {
      if (!isInQueue(claim.status)) return skip(`status_${claim.status}`, `It is ${STATUS_LABELS[claim.status].toLowerCase()}: only claims in review can be assigned.`);
      if (!can(actor, 'queue.work')) return notAllowed;
      if (!assignee || assignee.disabled || !can(assignee, 'claim.review')) return skip('not_a_reviewer', 'The person chosen is not an enabled reviewer.');
      if (!can(assignee, 'claim.review', claim)) return skip('four_eyes', `${assignee.displayName} wrote or edited it, so they may not review it (the four-eyes rule).`);
      return claim.assigneeId === assignee.id ? skip('already', `${assignee.displayName} has it already.`) : null;
    },
  },
  unassign: {
    label: 'Unassign',
    policy: 'queue.work',
    does: (_p, n) => `release ${n} back to the queue`,
    check: (claim, actor) => {
      if (!isInQueue(claim.status)) return skip(`status_${claim.status}`, `It is ${STATUS_LABELS[claim.status].toLowerCase()}: only claims in review are assigned.`);
      if (!can(actor, 'queue.work')) return notAllowed;
      return claim.assigneeId === null ? skip('already', 'Nobody has it.') : null;
    },
  },
  submit: { label: 'Submit for review', policy: 'claim.progress', does: (_p, n) => `submit ${n} for review`, check: transitionCheck('submit') },
  withdraw: { label: 'Withdraw', policy: 'claim.progress', does: (_p, n) => `withdraw ${n}`, check: transitionCheck('withdraw') },
  verify: { label: 'Verify', policy: 'claim.decide', does: (p, n) => `verify ${n}, with ${p.confidence ?? 'the'} confidence`, check: transitionCheck('verify') },
  mark_unverifiable: { label: 'Mark unverifiable', policy: 'claim.decide', does: (_p, n) => `mark ${n} unverifiable`, check: transitionCheck('mark_unverifiable') },
  export: { label: 'Export the selection', policy: 'export.run', does: (_p, n) => `export ${n}`, check: () => null },
};

/** The bulk actions this person may be offered. */
export function offeredActions(actor: Actor): BulkAction[] {
  return BULK_ACTIONS.filter((a) => can(actor, BULK[a].policy));
}
