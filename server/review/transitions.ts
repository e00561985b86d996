import { recordEvent } from '../audit/events.repo.ts';
import { decidedOriginalOf } from '../claims/claim-repeats.repo.ts';
import { changeStatusIfCurrent, findClaim } from '../claims/claims.repo.ts';
import type { Confidence } from '../claims/fields.ts';
import { datesOfEvent, dayOf, resolveRecheckDates, type RecheckInput, type RecheckPeriod } from '../claims/recheck-dates.ts';
import { isDecided, isInQueue, STATUS_LABELS, type Status } from '../claims/statuses.ts';
import { labelForDecision } from '../claims/verdict-labels.commands.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { authorize, fourEyesAllows, type Actor } from '../platform/policies.ts';
import { evidenceSummaryOf } from '../sources/evidence.repo.ts';
import { notifyQueueChange } from './queue-channel.repo.ts';
import { checkTransition, TRANSITIONS, type Transition, type TransitionAction } from './states.ts';

export interface TransitionProps {
  actor: Actor;
  claimId: number;
  action: TransitionAction;
  /** The claim's version the user saw when they chose the action. */
  version: number;
  comment: string | null;
  confidence: Confidence | null;
  /** A decision's days (optional): true as of, and check again by a day or after a period. */
  trueAsOf?: string | null;
  recheckBy?: string | null;
  recheckIn?: RecheckPeriod | null;
  /** A decision's verdict label (none: the first label of the status it gives). */
  label?: number | null;
  /** The earlier claim whose verdict this decision reuses (recorded in the history). */
  reusedFrom?: number;
  /** The desk's clock (tests set it). */
  now?: Date;
}

/**
 * Moves a claim along the state table: authorise (the four-eyes rule for
 * decisions), check the version, the guard and the required comment, then one
 * conditional UPDATE (WHERE id, status and version match) and its event, in
 * one transaction. The only code that sets a claim's status.
 */
export async function transitionClaim(db: Db, props: TransitionProps): Promise<{ from: Status; to: Status }> {
  const t: Transition = TRANSITIONS[props.action];
  return db.transaction(async (trx) => {
    const claim = await findClaim(trx, props.claimId, { lock: true });
    if (!claim) throw new NotFoundError();
    authorize(props.actor, t.who, claim);
    if (claim.version !== props.version) {
      throw new ConflictError(
        `This claim changed after you opened it: it is now ${STATUS_LABELS[claim.status].toLowerCase()}${claim.editedAt ? `, last edited ${claim.editedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}. Look at it again before you ${t.label.toLowerCase()}.`,
        claim,
        'stale_version',
      );
    }
    const evidence = await evidenceSummaryOf(trx, claim.id);
    // A decision without a confidence level keeps the one set before (verify's guard insists on one).
    const confidence = t.setsConfidence ? (props.confidence ?? claim.confidence) : claim.confidence;
    const repeatsDecided = t.guard && evidence.total === 0 ? (await decidedOriginalOf(trx, claim.id)) !== null : false;
    const errors = checkTransition(props.action, claim.status, { statement: claim.statement, confidence, comment: props.comment, evidence, quoteMissing: claim.quoteMissing, repeatsDecided });
    if (errors.form) throw new ConflictError(errors.form, claim, 'not_allowed_now');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors, `The claim cannot be ${t.label.toLowerCase().replace(/^mark /, 'marked ')} yet.`);

    const to = t.to;
    const dates = isDecided(to) ? resolveRecheckDates(recheckInputOf(props), dayOf(props.now ?? new Date())) : null;
    if (dates && 'errors' in dates) throw new ValidationError(dates.errors, `The claim cannot be ${t.label.toLowerCase().replace(/^mark /, 'marked ')} with these dates.`);
    const label = isDecided(to) ? await labelForDecision(trx, to, props.label ?? null) : null;
    // Back in review, a claim held by someone who has since become its author goes back to the queue.
    const releases = isInQueue(to) && claim.assigneeId !== null && !fourEyesAllows({ id: claim.assigneeId }, claim);
    const moved = await changeStatusIfCurrent(trx, {
      id: claim.id,
      from: claim.status,
      version: props.version,
      to,
      actorId: props.actor.id,
      submitted: isInQueue(to),
      decided: isDecided(to),
      clearsDecision: t.clearsDecision ?? false,
      releasesAssignee: (t.releasesAssignee ?? false) || releases,
      ...(t.setsRationale ? { rationale: props.comment } : {}),
      ...(t.setsConfidence ? { confidence } : {}),
      ...(dates ? { dates } : {}),
      ...(label ? { verdictLabelId: label.id } : {}),
    });
    if (!moved) throw new ConflictError('Someone else changed this claim at the same moment. Look at it again and retry.', undefined, 'stale_version');
    await recordEvent(trx, {
      claimId: claim.id,
      actorId: props.actor.id,
      type: 'transition',
      action: props.action,
      from: claim.status,
      to,
      comment: props.comment,
      data: { ...(t.setsConfidence ? { confidence } : {}), ...(label ? { label: label.name } : {}), ...datesOfEvent(dates), ...(props.reusedFrom ? { reusedFrom: props.reusedFrom } : {}) },
    });
    if (releases) {
      await recordEvent(trx, { claimId: claim.id, actorId: props.actor.id, type: 'assigned', data: { assigneeId: null, assigneeName: null, reason: 'the reviewer became an author' } });
    }
    await notifyQueueChange(trx, claim.id);
    return { from: claim.status, to };
  });
}

/** The days a form sent, as the date rules take them. */
export function recheckInputOf(props: { trueAsOf?: string | null; recheckBy?: string | null; recheckIn?: RecheckPeriod | null }): RecheckInput {
  return { trueAsOf: props.trueAsOf ?? null, recheckBy: props.recheckBy ?? null, recheckIn: props.recheckIn ?? null };
}
