import { findUserById, listUsers } from '../accounts/users.repo.ts';
import { recordEvent, recordEventsFrom } from '../audit/events.repo.ts';
import type { ClaimFilterValues } from '../claims/claim-filters.ts';
import { listQueue as queueClaims } from '../claims/claim-lists.repo.ts';
import { assignNextInQueue, lockClaimAssignment, setAssignee, type Claim } from '../claims/claims.repo.ts';
import { isInQueue } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, ForbiddenChoiceError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { can, type Actor, type Authored } from '../platform/policies.ts';
import { suggestConfidence, type Suggestion } from '../sources/confidence.ts';
import { withEvidenceOf } from '../sources/evidence.repo.ts';
import type { EvidenceSummary } from '../sources/evidence-summary.ts';
import { notifyQueueChange } from './queue-channel.repo.ts';

export type QueueItem = Claim & { evidence: EvidenceSummary; suggestion: Suggestion };

/**
 * The review queue: claims in review, highest priority first, then the
 * longest waiting, each with its evidence summary and suggested confidence.
 */
export async function listQueue(db: Db, filters: ClaimFilterValues, actor: Actor, options: { after?: string | null; limit?: number } = {}): Promise<{ items: QueueItem[]; next: string | null }> {
  const page = await queueClaims(db, filters, actor, options);
  const withEvidence = await withEvidenceOf(db, page.claims);
  return {
    items: withEvidence.map(({ evidenceFacts, ...row }) => ({ ...row, suggestion: suggestConfidence(evidenceFacts) })),
    next: page.next,
  };
}

/**
 * Assigns the next unassigned claim in review that the reviewer may review,
 * in queue order; null when none is left. The assignment and its event are
 * one statement (atomic without a transaction of several round trips); the
 * queue's listeners are told after it.
 */
export async function takeNext(db: Db, actor: Actor): Promise<number | null> {
  const [id] = await recordEventsFrom(db, {
    actorId: actor.id,
    type: 'assigned',
    data: { assigneeId: actor.id, assigneeName: actor.displayName, self: true },
    subject: assignNextInQueue(db, actor.id),
    returnIds: true,
  });
  if (id === undefined) return null;
  await notifyQueueChange(db, id);
  return id;
}

/**
 * Assigns a claim in review to a reviewer, or releases it (assignee null).
 * `expected` is the assignee the user saw: if it changed meanwhile, 409. A
 * note for the reviewer goes into the history with the assignment.
 */
export async function assignClaim(db: Db, actor: Actor, claimId: number, assigneeId: number | null, expected: number | null, note: string | null = null): Promise<void> {
  await db.transaction(async (trx) => {
    const claim = await lockClaimAssignment(trx, claimId);
    if (!claim) throw new NotFoundError();
    if (!isInQueue(claim.status)) throw new ConflictError('Only claims in review can be assigned.', undefined, 'not_in_review');
    if (claim.assigneeId !== expected) {
      throw new ConflictError('Someone else assigned or released this claim meanwhile. Look at who has it now and try again.', undefined, 'stale_assignment');
    }
    let assigneeName: string | null = null;
    if (assigneeId !== null) {
      const assignee = await findUserById(trx, assigneeId);
      if (!assignee || assignee.disabled || !can(assignee, 'claim.review')) {
        throw new ValidationError({ assignee: 'Choose an enabled reviewer.' });
      }
      if (!can(assignee, 'claim.review', claim)) {
        throw new ForbiddenChoiceError({ assignee: `${assignee.displayName} wrote or edited this claim, so they cannot review it. Choose another reviewer.` });
      }
      assigneeName = assignee.displayName;
    }
    await setAssignee(trx, claimId, assigneeId);
    await recordEvent(trx, { claimId, actorId: actor.id, type: 'assigned', data: { assigneeId, assigneeName, self: assigneeId === actor.id, ...(note ? { note } : {}) } });
    await notifyQueueChange(trx, claimId);
  });
}

/** Enabled accounts the policy lets review a claim (none of its authors), by name, for the assign picker. */
export async function eligibleReviewers(db: Db, claim: Authored): Promise<{ id: number; displayName: string }[]> {
  const people = await listUsers(db);
  return people.filter((p) => !p.disabled && can(p, 'claim.review', claim)).map((p) => ({ id: p.id, displayName: p.displayName }));
}
