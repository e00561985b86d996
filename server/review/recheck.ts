import { recordEvent } from '../audit/events.repo.ts';
import { findClaim, recheckIfCurrent } from '../claims/claims.repo.ts';
import { datesOfEvent, dayOf, resolveRecheckDates, type RecheckPeriod } from '../claims/recheck-dates.ts';
import { isDecided } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { authorize, type Actor } from '../platform/policies.ts';

export interface RecheckProps {
  actor: Actor;
  claimId: number;
  /** The claim's version the reviewer saw. */
  version: number;
  comment: string | null;
  /** The day it is true as of now (today when not given), and when to check it again. */
  trueAsOf: string | null;
  recheckBy: string | null;
  recheckIn: RecheckPeriod | null;
  now?: Date;
}

/**
 * A reviewer checks a decided claim again and confirms it: a new "true as
 * of" day (today unless given) and a new day to check it again, or none. The
 * verdict stays; the other outcome, reopening, is the state table's reopen.
 * Like a decision, it is never the work of one of the claim's authors.
 */
export async function recheckClaim(db: Db, props: RecheckProps): Promise<void> {
  const today = dayOf(props.now ?? new Date());
  await db.transaction(async (trx) => {
    const claim = await findClaim(trx, props.claimId, { lock: true });
    if (!claim) throw new NotFoundError();
    authorize(props.actor, 'claim.decide', claim);
    if (!isDecided(claim.status)) throw new ConflictError('Only a decided claim is checked again. This one is not decided now.', claim, 'not_decided');
    if (claim.version !== props.version) throw new ConflictError('This claim changed after you opened it. Look at it again before you confirm it.', claim, 'stale_version');
    const dates = resolveRecheckDates({ trueAsOf: props.trueAsOf ?? today, recheckBy: props.recheckBy, recheckIn: props.recheckIn }, today);
    if ('errors' in dates) throw new ValidationError(dates.errors, 'The claim cannot be confirmed with these dates.');
    const done = await recheckIfCurrent(trx, { id: claim.id, version: props.version, actorId: props.actor.id, ...dates });
    if (!done) throw new ConflictError('Someone else changed this claim at the same moment. Look at it again and retry.', undefined, 'stale_version');
    await recordEvent(trx, {
      claimId: claim.id,
      actorId: props.actor.id,
      type: 'rechecked',
      comment: props.comment,
      data: datesOfEvent(dates),
    });
  });
}
