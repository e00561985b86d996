import fc from 'fast-check';

/*
 * The model of the workflow property test (workflow.property.test.ts): DESIGN.md's
 * transition table written here independently of the app, the cast, and the
 * arbitraries of desk actions.
 */
export const RUNS = Number(process.env.FC_RUNS ?? 25);
export const MAX_ACTIONS = Number(process.env.FC_ACTIONS ?? 20);
export const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

// ---------------------------------------------------------------- the model

export type Status = 'draft' | 'in_review' | 'changes_requested' | 'verified' | 'refuted' | 'unverifiable' | 'withdrawn';
export type Act = 'submit' | 'resubmit' | 'request_changes' | 'verify' | 'refute' | 'mark_unverifiable' | 'reopen' | 'withdraw' | 'restore';
export type Role = 'editor' | 'reviewer' | 'admin';
export type Relation = 'origin' | 'supports' | 'contradicts' | 'context';

/** DESIGN.md's transition table, copied by hand: the oracle the app is held to. */
export const TABLE: Record<Act, { from: Status[]; to: Status; who: 'anyone' | 'decider' | 'reviewer'; comment: boolean; path: string }> = {
  submit: { from: ['draft'], to: 'in_review', who: 'anyone', comment: false, path: 'submit' },
  resubmit: { from: ['changes_requested'], to: 'in_review', who: 'anyone', comment: false, path: 'resubmit' },
  request_changes: { from: ['in_review'], to: 'changes_requested', who: 'decider', comment: true, path: 'request-changes' },
  verify: { from: ['in_review'], to: 'verified', who: 'decider', comment: false, path: 'verify' },
  refute: { from: ['in_review'], to: 'refuted', who: 'decider', comment: true, path: 'refute' },
  mark_unverifiable: { from: ['in_review'], to: 'unverifiable', who: 'decider', comment: true, path: 'mark-unverifiable' },
  reopen: { from: ['verified', 'refuted', 'unverifiable'], to: 'changes_requested', who: 'reviewer', comment: true, path: 'reopen' },
  withdraw: { from: ['draft', 'in_review', 'changes_requested'], to: 'withdrawn', who: 'anyone', comment: false, path: 'withdraw' },
  restore: { from: ['withdrawn'], to: 'draft', who: 'anyone', comment: false, path: 'restore' },
};
export const ACTS = Object.keys(TABLE) as Act[];
export const DECISIONS: readonly string[] = ['verify', 'refute', 'mark_unverifiable', 'request_changes'];
export const EDITABLE: readonly Status[] = ['draft', 'changes_requested'];
export const EVIDENCE_OPEN: readonly Status[] = ['draft', 'changes_requested', 'in_review'];
export const isReviewerRole = (role: Role): boolean => role === 'reviewer' || role === 'admin';
/** Whether the person may take an action of this kind on the claim (the policies of DESIGN.md: who, and the four-eyes rule). */
export const mayTake = (user: { id: number; role: string }, who: 'anyone' | 'decider' | 'reviewer', claim: { authors: number[] } | undefined): boolean =>
  who === 'anyone' || (isReviewerRole(user.role as Role) && (who === 'reviewer' || (claim !== undefined && !claim.authors.includes(user.id))));

/** The report every run works on: some quotes occur once, one occurs many times, one not at all. */
export const BODY = [
  'The harbour bridge opened in 2019, the minister said on Monday.',
  'Critics said the crossing only carried traffic from 2021 after long delays.',
  'The project cost 40 million euros, the city council said.',
  'Officials expect traffic to double by 2030.',
].join('\n\n');
export const QUOTES = ['harbour bridge opened in 2019', 'only carried traffic from 2021', 'cost 40 million euros', 'traffic to double by 2030', 'said', 'a tunnel was planned instead'];
export const UNIQUE_QUOTES = new Set(QUOTES.filter((q) => BODY.split(q).length === 2));
export const MISSING_QUOTES = new Set(QUOTES.filter((q) => !BODY.includes(q)));

// ------------------------------------------------------------ the actions

export type VersionMode = 'current' | 'stale' | 'garbage';
export type CommentMode = 'none' | 'blank' | 'text';

/**
 * One thing a person does on the desk. `claim` is the n-th claim logged in
 * the sequence (modulo), -1 one that does not exist. A transition's act
 * 'next' is one the table allows from the claim's status at that moment
 * (`pick` chooses), and `by: 'fit'` hands it to the first person from `user`
 * on whom the model says the action is allowed: both keep sequences reaching
 * the deep states, while the rest of the actions stay blind.
 */
export type Action =
  | { kind: 'log'; user: number; quote: number; json: boolean; priority?: number }
  | { kind: 'edit'; user: number; claim: number; statement: 'same' | 'new' | 'blank'; quote: number | 'same'; version: VersionMode; json: boolean }
  | { kind: 'link'; user: number; claim: number; relation: Relation; source: 'new' | 'library' | 'duplicate_url'; library: number; json: boolean }
  | { kind: 'transition'; user: number; by: 'as_is' | 'fit'; claim: number; act: Act | 'next'; pick: number; version: VersionMode; comment: CommentMode; confidence: 'high' | 'low' | 'none' | 'bogus'; json: boolean }
  | { kind: 'take_next'; user: number; json: boolean }
  | { kind: 'assign'; user: number; claim: number; assignee: 'me' | 'none' | number; expected: 'current' | 'stale' }
  | { kind: 'comment'; user: number; claim: number; body: 'text' | 'blank' };

export const CAST: { role: Role; name: string }[] = [
  { role: 'editor', name: 'Edna Editor' },
  { role: 'editor', name: 'Eli Editor' },
  { role: 'reviewer', name: 'Rita Reviewer' },
  { role: 'reviewer', name: 'Rob Reviewer' },
  { role: 'admin', name: 'Ada Admin' },
];

export const weighted = <T>(...choices: [number, T][]) => fc.oneof(...choices.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));
export const userArb = fc.integer({ min: 0, max: CAST.length - 1 });
export const claimArb = fc.oneof({ weight: 14, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.constant(-1) });
export const versionArb = weighted<VersionMode>([14, 'current'], [2, 'stale'], [1, 'garbage']);

export const logArb = fc.record({
  kind: fc.constant('log' as const),
  user: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: userArb }),
  quote: fc.integer({ min: 0, max: QUOTES.length - 1 }),
  json: fc.boolean(),
});
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 1, arbitrary: logArb },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      user: userArb,
      claim: claimArb,
      statement: weighted<'same' | 'new' | 'blank'>([3, 'new'], [2, 'same'], [1, 'blank']),
      quote: fc.oneof({ weight: 3, arbitrary: fc.constant('same' as const) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: QUOTES.length - 1 }) }),
      version: versionArb,
      json: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('link' as const),
      user: userArb,
      claim: claimArb,
      relation: weighted<Relation>([5, 'supports'], [3, 'contradicts'], [2, 'origin'], [1, 'context']),
      source: weighted<'new' | 'library' | 'duplicate_url'>([4, 'new'], [3, 'library'], [1, 'duplicate_url']),
      library: fc.integer({ min: 0, max: 1 }),
      json: fc.boolean(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('transition' as const),
      user: userArb,
      by: weighted<'as_is' | 'fit'>([1, 'as_is'], [1, 'fit']),
      claim: claimArb,
      act: fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...ACTS) }, { weight: 2, arbitrary: fc.constant('next' as const) }),
      pick: fc.nat(5),
      version: versionArb,
      comment: weighted<CommentMode>([6, 'text'], [2, 'none'], [1, 'blank']),
      confidence: weighted<'high' | 'low' | 'none' | 'bogus'>([4, 'high'], [2, 'low'], [2, 'none'], [1, 'bogus']),
      json: fc.boolean(),
    }),
  },
  {
    // A well-formed step forward: the model's own choice of act and person, so that sequences reach the decided states.
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('transition' as const),
      user: userArb,
      by: fc.constant('fit' as const),
      claim: claimArb,
      act: fc.constant('next' as const),
      pick: fc.nat(5),
      version: fc.constant('current' as const),
      comment: fc.constant('text' as const),
      confidence: fc.constant('high' as const),
      json: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('take_next' as const), user: userArb, json: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('assign' as const),
      user: userArb,
      claim: claimArb,
      assignee: fc.oneof(fc.constant('me' as const), fc.constant('none' as const), userArb),
      expected: weighted<'current' | 'stale'>([5, 'current'], [1, 'stale']),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('comment' as const), user: userArb, claim: claimArb, body: weighted<'text' | 'blank'>([4, 'text'], [1, 'blank']) }) },
);
/** A sequence: it starts by logging a claim (so later actions have something to act on), then anything. */
export const sequenceArb = fc.tuple(logArb, fc.array(actionArb, { minLength: 0, maxLength: Math.max(0, MAX_ACTIONS - 1), size: 'max' })).map(([first, rest]): Action[] => [first, ...rest]);
