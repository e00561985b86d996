import { can, type Actor } from '../platform/policies.ts';
import type { RepeatOfClaim } from './claim-repeats.repo.ts';
import type { Claim } from './claims.repo.ts';
import { describeDifference, type MatchReasons } from './repeat-match.ts';
import { plain, tokens } from './statement-facts.ts';
import { isDecided, isInQueue, STATUS_LABELS } from './statuses.ts';

/**
 * The "Same claim" panel of the claim page: the earlier claims this one is
 * confirmed to repeat, the later ones that repeat it, and the matcher's open
 * suggestions with their reasons; which buttons this user gets.
 */
export function repeatsPanel(user: Actor, claim: Claim, pairs: RepeatOfClaim[]) {
  const manage = can(user, 'repeat.manage');
  // Reusing an earlier verdict is a decision: the same person who may decide the claim, while it is in review.
  const mayReuse = isInQueue(claim.status) && can(user, 'claim.decide', claim);
  const item = (p: RepeatOfClaim) => ({
    other: p.other,
    otherStatus: STATUS_LABELS[p.other.status],
    confident: p.level === 'confident',
    reasons: p.state === 'suggested' || p.score > 0 ? describeReasons(claim.statement, p.reasons) : [],
    score: p.score,
    canConfirm: manage && p.state === 'suggested',
    canDismiss: manage && p.isRepeat,
    reuseUrl: mayReuse && p.isRepeat && isDecided(p.other.status) ? `/claims/${claim.id}/reuse/${p.other.id}` : null,
  });
  return {
    claimId: claim.id,
    sameAs: pairs.filter((p) => p.state === 'confirmed' && p.isRepeat).map(item),
    repeatedBy: pairs.filter((p) => p.state === 'confirmed' && !p.isRepeat).map(item),
    suggestions: pairs.filter((p) => p.state === 'suggested').map(item),
    canLink: manage,
  };
}

/** The matcher's reasons in words, for a person to judge the match by. */
export function describeReasons(statement: string, reasons: MatchReasons): string[] {
  if (!reasons || reasons.similarity === undefined) return [];
  const out = [`${Math.round(reasons.similarity * 100)}% alike in wording`];
  if (reasons.sharedWords.length) out.push(`shares ${sharedWordsAsWritten(statement, reasons.sharedWords).join(', ')}`);
  for (const d of reasons.differences) out.push(describeDifference(d));
  if (reasons.short) out.push('short statement: only ever a suggestion');
  return out;
}

/** The statement's own words for the database's stems ("unemploy" is shown as "unemployment"). */
function sharedWordsAsWritten(statement: string, stems: string[]): string[] {
  const words = tokens(statement);
  return stems.slice(0, 12).map((stem) => words.find((w) => plain(w).startsWith(stem)) ?? stem);
}
