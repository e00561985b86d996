import { recordEvent } from '../audit/events.repo.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';
import { clearSuggestions, insertSuggestions, lockRepeat, repeatCandidates, saveRepeatState, type RepeatCandidate } from './claim-repeats.repo.ts';
import { findClaim } from './claims.repo.ts';
import { judgeMatch, type Judgement, type MatchSettings } from './repeat-match.ts';

/** An earlier claim that may be the same claim, with its score and reasons. */
export type RepeatMatch = RepeatCandidate & Judgement & { level: NonNullable<Judgement['level']> };

/** How many candidates the database hands over to be judged, and how many matches are kept. */
const CANDIDATES = 30;
const MATCHES = 5;

/**
 * Finds earlier claims that may be the same claim as a statement: the
 * database's candidates, judged (score, level, reasons), confident matches
 * first. `beforeId` limits them to claims logged before that claim.
 */
export async function findRepeats(db: Db, statement: string, settings: MatchSettings, beforeId: number | null = null): Promise<RepeatMatch[]> {
  if (!statement.trim()) return [];
  const { words, candidates } = await repeatCandidates(db, { statement, beforeId, windowMonths: settings.windowMonths, limit: CANDIDATES });
  return candidates
    .map((c) => ({ ...c, ...judgeMatch({ statement, words }, c, settings) }))
    .filter((m): m is RepeatMatch => m.level !== null)
    .sort((a, b) => Number(b.level === 'confident') - Number(a.level === 'confident') || b.score - a.score || b.id - a.id)
    .slice(0, MATCHES);
}

/**
 * Looks for the claim's repeats again and stores them as suggestions (call it
 * in the transaction that logged the claim or changed its statement). Pairs
 * the desk already confirmed or dismissed keep that answer.
 */
export async function refreshSuggestions(trx: Db, claimId: number, statement: string, settings: MatchSettings): Promise<void> {
  await clearSuggestions(trx, claimId);
  const found = await findRepeats(trx, statement, settings, claimId);
  await insertSuggestions(trx, claimId, found.map((m) => ({ earlierId: m.id, level: m.level, score: m.score, reasons: m.reasons })));
}

/**
 * Confirms that a claim repeats an earlier one (a suggestion, or a claim
 * number typed in): the two are linked as the same claim, recorded in both
 * histories.
 */
export async function confirmRepeat(db: Db, actor: Actor, claimId: number, earlierId: number): Promise<void> {
  await db.transaction(async (trx) => {
    const [claim, earlier] = await Promise.all([findClaim(trx, claimId), findClaim(trx, earlierId)]);
    if (!claim) throw new NotFoundError();
    if (!earlier) throw new ValidationError({ earlierId: `There is no claim #${earlierId}. Check the number.` });
    if (earlier.id === claim.id) throw new ValidationError({ earlierId: 'A claim cannot repeat itself. Give the number of the earlier claim.' });
    if (earlier.createdAt > claim.createdAt) {
      throw new ValidationError({ earlierId: `Claim #${earlier.id} was logged after this one. Confirm the link on #${earlier.id}’s page instead.` });
    }
    const pair = await lockRepeat(trx, claimId, earlierId);
    if (pair?.state === 'confirmed') throw new ConflictError(`This claim is already linked to #${earlierId} as the same claim.`, undefined, 'already_linked');
    await saveRepeatState(trx, { claimId, earlierId, state: 'confirmed', actorId: actor.id });
    const data = { claimId, earlierId, score: pair?.score ?? null, suggested: Boolean(pair) };
    await recordEvent(trx, { claimId, actorId: actor.id, type: 'repeat_linked', data: { ...data, other: earlierId, role: 'repeat' } });
    await recordEvent(trx, { claimId: earlierId, actorId: actor.id, type: 'repeat_linked', data: { ...data, other: claimId, role: 'original' } });
  });
}

/**
 * Says a suggested (or linked) earlier claim is not the same claim: it is not
 * suggested again, and a link is undone, recorded in both histories.
 */
export async function dismissRepeat(db: Db, actor: Actor, claimId: number, earlierId: number): Promise<{ unlinked: boolean }> {
  return db.transaction(async (trx) => {
    const pair = await lockRepeat(trx, claimId, earlierId);
    if (!pair) throw new NotFoundError('That suggestion is gone: the claim’s statement may have changed since. Look at the claim again.');
    if (pair.state === 'dismissed') return { unlinked: false };
    await saveRepeatState(trx, { claimId, earlierId, state: 'dismissed', actorId: actor.id });
    if (pair.state !== 'confirmed') return { unlinked: false };
    const data = { claimId, earlierId };
    await recordEvent(trx, { claimId, actorId: actor.id, type: 'repeat_unlinked', data: { ...data, other: earlierId, role: 'repeat' } });
    await recordEvent(trx, { claimId: earlierId, actorId: actor.id, type: 'repeat_unlinked', data: { ...data, other: claimId, role: 'original' } });
    return { unlinked: true };
  });
}
