import { decidedOriginalOf } from '../claims/claim-repeats.repo.ts';
import { findClaim, type Claim } from '../claims/claims.repo.ts';
import { isDecided, type DecidedStatus } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { authorize, type Actor } from '../platform/policies.ts';
import { copyEvidence } from '../sources/evidence.commands.ts';
import { DECISION_ACTIONS, TRANSITIONS, type TransitionAction } from './states.ts';
import { transitionClaim } from './transitions.ts';

/** The decision that gives a decided status, as the state table says. */
const decisionFor = (status: DecidedStatus): TransitionAction => DECISION_ACTIONS.find((a) => TRANSITIONS[a].to === status)!;

/**
 * The earlier claim whose verdict a claim may reuse: confirmed as the same
 * claim, and decided. A 409 that says why when it is not.
 */
export async function reusableOriginal(db: Db, claim: Claim, earlierId: number): Promise<Claim> {
  const original = await decidedOriginalOf(db, claim.id, earlierId);
  const earlier = original === null ? null : await findClaim(db, original);
  if (!earlier || !isDecided(earlier.status)) {
    throw new ConflictError(`Claim #${earlierId} is not a decided claim that this one is confirmed to repeat. Confirm the link first, or decide the claim on its own evidence.`, undefined, 'not_a_repeat');
  }
  return earlier;
}

/**
 * Decides a claim by reusing the verdict of the earlier claim it repeats: the
 * earlier claim's evidence is copied, then the claim takes the same decision
 * (status, verdict label, confidence, days) through the state machine, with
 * the reviewer's rationale. It is a decision like any other: the four-eyes
 * rule, the guards and the version check hold, and all of it is one
 * transaction.
 */
export async function reuseVerdict(
  db: Db,
  props: { actor: Actor; claimId: number; earlierId: number; version: number; comment: string | null; now?: Date },
): Promise<{ to: DecidedStatus }> {
  return db.transaction(async (trx) => {
    const claim = await findClaim(trx, props.claimId, { lock: true });
    if (!claim) throw new NotFoundError();
    authorize(props.actor, 'claim.decide', claim);
    const earlier = await reusableOriginal(trx, claim, props.earlierId);
    if (claim.version !== props.version) {
      throw new ConflictError('This claim changed after you opened it. Look at it again before you reuse the verdict.', claim, 'stale_version');
    }
    const status = earlier.status as DecidedStatus;
    await copyEvidence(trx, props.actor, { fromClaimId: earlier.id, toClaimId: claim.id });
    const version = (await findClaim(trx, claim.id))!.version;
    const today = (props.now ?? new Date()).toISOString().slice(0, 10);
    await transitionClaim(trx, {
      actor: props.actor,
      claimId: claim.id,
      action: decisionFor(status),
      version,
      comment: props.comment?.trim() || earlier.rationale || `The same claim as #${earlier.id}.`,
      confidence: earlier.confidence,
      label: earlier.verdictLabelId,
      trueAsOf: earlier.trueAsOf,
      recheckBy: earlier.recheckBy && earlier.recheckBy > today ? earlier.recheckBy : null,
      reusedFrom: earlier.id,
      ...(props.now ? { now: props.now } : {}),
    });
    return { to: status };
  });
}
