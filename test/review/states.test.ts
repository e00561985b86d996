import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STATUSES, type Status } from '../../server/claims/statuses.ts';
import { actionsFrom, checkTransition, TRANSITION_ACTIONS, TRANSITIONS, type TransitionAction, type TransitionContext } from '../../server/review/states.ts';

/** DESIGN.md's table, written out independently of the module, to check it against. */
const EXPECTED: Record<TransitionAction, [Status[], Status]> = {
  submit: [['draft'], 'in_review'],
  request_changes: [['in_review'], 'changes_requested'],
  resubmit: [['changes_requested'], 'in_review'],
  verify: [['in_review'], 'verified'],
  refute: [['in_review'], 'refuted'],
  mark_unverifiable: [['in_review'], 'unverifiable'],
  reopen: [['verified', 'refuted', 'unverifiable'], 'changes_requested'],
  withdraw: [['draft', 'in_review', 'changes_requested'], 'withdrawn'],
  restore: [['withdrawn'], 'draft'],
};

// A context in which every guard passes.
const ready: TransitionContext = { statement: 'A statement', confidence: 'high', comment: 'A comment', evidence: { supports: 1, contradicts: 1, total: 2 }, quoteMissing: false };

describe('the state table', () => {
  test('has exactly the actions of DESIGN.md', () => {
    assert.deepEqual([...TRANSITION_ACTIONS].sort(), Object.keys(EXPECTED).sort());
  });

  for (const action of Object.keys(EXPECTED) as TransitionAction[]) {
    const [from, to] = EXPECTED[action];
    for (const status of STATUSES) {
      const allowed = from.includes(status);
      test(`${action} from ${status} is ${allowed ? `allowed (to ${to})` : 'refused'}`, () => {
        const errors = checkTransition(action, status, ready);
        if (allowed) {
          assert.deepEqual(errors, {});
          assert.equal(TRANSITIONS[action].to, to);
          assert.ok(actionsFrom(status).includes(action));
        } else {
          assert.match(errors.form ?? '', /cannot be/);
          assert.ok(!actionsFrom(status).includes(action));
        }
      });
    }
  }

  test('who may take each action is a policy: progress for editors, decide for reviewers, reopen for reviewers', () => {
    for (const a of ['submit', 'resubmit', 'withdraw', 'restore'] as const) assert.equal(TRANSITIONS[a].who, 'claim.progress');
    for (const a of ['verify', 'refute', 'mark_unverifiable', 'request_changes'] as const) assert.equal(TRANSITIONS[a].who, 'claim.decide');
    assert.equal(TRANSITIONS.reopen.who, 'claim.reopen');
  });
});

describe('the guards', () => {
  const none = { supports: 0, contradicts: 0, total: 0 };
  const cases: [TransitionAction, Status, Partial<TransitionContext>, string, RegExp][] = [
    ['submit', 'draft', { evidence: none }, 'evidence', /Link at least one source/],
    ['submit', 'draft', { statement: '  ' }, 'statement', /Write the checkable statement/],
    ['resubmit', 'changes_requested', { evidence: none }, 'evidence', /Link at least one source/],
    ['verify', 'in_review', { evidence: { supports: 0, contradicts: 0, total: 1 } }, 'evidence', /at least one supporting source/],
    ['verify', 'in_review', { confidence: null }, 'confidence', /Choose how confident/],
    ['verify', 'in_review', { comment: null, evidence: { supports: 1, contradicts: 1, total: 2 } }, 'comment', /contradicts this claim/],
    ['refute', 'in_review', { evidence: { supports: 1, contradicts: 0, total: 1 } }, 'evidence', /at least one contradicting source/],
    ['refute', 'in_review', { comment: ' ' }, 'comment', /Write the rationale: what shows the claim is false/],
    ['mark_unverifiable', 'in_review', { comment: null }, 'comment', /Write the rationale: why the claim can be neither/],
    ['request_changes', 'in_review', { comment: null }, 'comment', /Write what needs to change/],
    ['reopen', 'verified', { comment: '' }, 'comment', /Write why the claim is reopened/],
    ['submit', 'draft', { quoteMissing: true }, 'quote', /no longer in the report’s current text/],
    ['resubmit', 'changes_requested', { quoteMissing: true }, 'quote', /no longer in the report’s current text/],
    ['verify', 'in_review', { quoteMissing: true }, 'quote', /no longer in the report’s current text/],
    ['refute', 'in_review', { quoteMissing: true }, 'quote', /no longer in the report’s current text/],
    ['mark_unverifiable', 'in_review', { quoteMissing: true }, 'quote', /no longer in the report’s current text/],
  ];
  for (const [action, from, change, field, message] of cases) {
    test(`${action} from ${from} refuses when ${field} is missing`, () => {
      const errors = checkTransition(action, from, { ...ready, ...change });
      assert.match(errors[field] ?? '', message);
    });
  }

  test('a claim whose quote is gone can still be sent back, withdrawn or reopened', () => {
    for (const [action, from] of [['request_changes', 'in_review'], ['withdraw', 'in_review'], ['reopen', 'verified']] as const) {
      assert.deepEqual(checkTransition(action, from, { ...ready, quoteMissing: true }), {}, action);
    }
  });

  test('verify without contradicting evidence needs no note', () => {
    assert.deepEqual(checkTransition('verify', 'in_review', { ...ready, comment: null, evidence: { supports: 2, contradicts: 0, total: 2 } }), {});
  });
});
