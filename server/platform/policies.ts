import type { NextFunction, Request, Response, RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from './errors.ts';

export const ROLES = ['editor', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person, as every policy sees them. */
export interface Actor {
  id: number;
  role: Role;
  email: string;
  displayName: string;
}

/** What the four-eyes rule looks at: who wrote the claim's statement or quote. */
export interface Authored {
  authors: readonly number[];
}

// Each role can do everything the one before it can (DESIGN.md: who uses it).
const RANK: Record<Role, number> = { editor: 1, reviewer: 2, admin: 3 };

/** The small predicates the policies are built from: a role at least as high as another, and authorship. */
export const isEditor = (actor: Pick<Actor, 'role'>): boolean => RANK[actor.role] >= RANK.editor;
export const isReviewer = (actor: Pick<Actor, 'role'>): boolean => RANK[actor.role] >= RANK.reviewer;
export const isAdmin = (actor: Pick<Actor, 'role'>): boolean => RANK[actor.role] >= RANK.admin;
export const isAuthorOf = (actor: Pick<Actor, 'id'>, record: Authored): boolean => record.authors.includes(actor.id);

/**
 * The four-eyes rule (DESIGN.md): nobody reviews or decides a claim they
 * created or whose statement or quote they edited, admins included. Written
 * once, here; the policies below use it, and the database's trigger repeats
 * it as a backstop (migrations/…_keep_authors_off_review.ts).
 */
export const fourEyesAllows = (person: Pick<Actor, 'id'>, claim: Authored): boolean => !isAuthorOf(person, claim);

/** The same rule as a condition on a claims row, for a query that picks claims a reviewer may take: bind the reviewer's id once. */
export const notAnAuthorSql = (authorsColumn: string): string => `NOT (? = ANY (${authorsColumn}))`;

interface Policy<R> {
  /** Who may take this action at all. */
  role: (actor: Actor) => boolean;
  /** Further conditions on the record acted on, when there is one. */
  record?: (actor: Actor, record: R) => boolean;
  /** What a refused user is told. */
  refused: string;
}

const desk = { role: isEditor, refused: 'Your account is not allowed to do that.' };

/**
 * Who may do what: the one place that says it. Policies say who; the state
 * table (review/states.ts) says what each action needs, and claims/statuses.ts
 * what each status allows.
 */
const POLICIES = {
  'desk.read': desk,
  'account.manage': desk,
  'report.create': desk,
  'report.edit': desk,
  'claim.create': desk,
  'claim.edit': desk,
  'claim.comment': desk,
  'claim.progress': desk,
  'evidence.manage': desk,
  'source.create': desk,
  'source.edit': desk,
  'export.run': desk,
  /** Confirming that a claim repeats an earlier one, or that it does not. */
  'repeat.manage': desk,
  /** Previewing and applying a bulk action (each claim is then held to its own action's policy). */
  'bulk.act': desk,
  /** Saving a list's filters as a view, for oneself or the desk. */
  'views.manage': desk,
  'claim.decide': {
    role: isReviewer,
    record: fourEyesAllows,
    refused:
      'Only a reviewer who did not write or edit this claim may decide it. Ask another reviewer to take it (the four-eyes rule).',
  },
  /** Holding a claim in review (taking it, being assigned it): whoever may decide it. */
  'claim.review': {
    role: isReviewer,
    record: fourEyesAllows,
    refused: 'Only a reviewer who did not write or edit this claim may review it (the four-eyes rule).',
  },
  'claim.reopen': { role: isReviewer, refused: 'Only reviewers can reopen a decided claim.' },
  'queue.work': { role: isReviewer, refused: 'Only reviewers can take or assign claims in the review queue.' },
  'users.manage': { role: isAdmin, refused: 'Only admins can manage accounts.' },
  'labels.manage': { role: isAdmin, refused: 'Only admins can change the desk’s verdict labels.' },
  'audit.read': { role: isAdmin, refused: 'Only admins can read the audit log.' },
  /** Seeing and revoking every person's API tokens (everyone manages their own under account.manage). */
  'tokens.admin': { role: isAdmin, refused: 'Only admins can see and revoke other people’s API tokens.' },
  /** Registering webhook endpoints, reading their delivery log, replaying deliveries. */
  'webhooks.manage': { role: isAdmin, refused: 'Only admins can manage webhooks.' },
} satisfies Record<string, Policy<Authored>>;

export type Action = keyof typeof POLICIES;
export const ACTIONS = Object.keys(POLICIES) as Action[];

/** Whether the actor may take the action (on the record, where the policy looks at one). Deny by default. */
export function can(actor: Actor | undefined | null, action: Action, record?: Authored): boolean {
  if (!actor) return false;
  const policy: Policy<Authored> | undefined = POLICIES[action];
  if (!policy || !policy.role(actor)) return false;
  if (record && policy.record) return policy.record(actor, record);
  return true;
}

/** Throws 403 unless `can` allows; a route calls this once it has loaded the record. */
export function authorize(actor: Actor | undefined, action: Action, record?: Authored): asserts actor is Actor {
  if (!actor) throw new UnauthorizedError();
  if (!can(actor, action, record)) throw new ForbiddenError(POLICIES[action]?.refused);
}

/** Marks a route handler with the policy that guards it, so the route inventory can read it. */
export type GuardedHandler = RequestHandler & { policy: Action | 'public' };

/** Route guard: a signed-in user whose role passes the policy; the record check comes after loading. */
export function allow(action: Action): GuardedHandler {
  const guard = (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) throw new UnauthorizedError();
    if (!can(req.user, action)) throw new ForbiddenError(POLICIES[action].refused);
    next();
  };
  return Object.assign(guard, { policy: action });
}

/** Route guard for the few pages anyone may open (sign-in, first-run setup, health). */
export function publicRoute(): GuardedHandler {
  const guard = (_req: Request, _res: Response, next: NextFunction) => next();
  return Object.assign(guard, { policy: 'public' as const });
}
