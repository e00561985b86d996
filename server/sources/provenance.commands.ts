import { recordEvent } from '../audit/events.repo.ts';
import { bumpClaimVersion } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';
import { deleteCitation, findCitation, upsertCitation } from './citations.repo.ts';
import { evidenceFactsOf, isLinked } from './evidence.repo.ts';
import { originGroups } from './independence.ts';
import { findPair, insertSuggestedPairs, judgePair, similarExcerptPairs, type OriginPairState } from './origin-pairs.repo.ts';
import { CITATION_KIND_LABELS, type CitationKind } from './provenance.ts';
import type { CiteInput } from './schemas.ts';
import { normaliseSourceUrl } from './source-urls.ts';
import { recordSourceChangeOnClaims } from './sources.commands.ts';
import { findSource, findSourceByUrl, type Source } from './sources.repo.ts';

const described = (kind: CitationKind, cited: Pick<Source, 'id' | 'title'>) => `${CITATION_KIND_LABELS[kind].verb} “${cited.title}” (#${cited.id})`;

/** The library source an editor means by "#12", "12", a source page's address or the source's own address; null if none. */
async function findCited(db: Db, typed: string): Promise<Source | null> {
  const text = typed.trim();
  const byNumber = /^#?(\d{1,9})$/.exec(text) ?? /\/sources\/(\d{1,9})\/?(?:[?#].*)?$/.exec(text);
  if (byNumber) {
    const found = await findSource(db, Number(byNumber[1]));
    if (found || !/^https?:/i.test(text)) return found;
  }
  const normalized = normaliseSourceUrl(text);
  return typeof normalized === 'string' ? findSourceByUrl(db, normalized) : null;
}

/**
 * Records that a source repeats another (based on, quotes, republishes), or
 * changes how. Every claim citing the source gets a history entry and, when
 * not decided, a new version: its evidence means something else now. A loop
 * this makes is allowed and shown (it is what the desk needs to see).
 */
export async function citeSource(db: Db, actor: Actor, sourceId: number, input: CiteInput, field = 'cited'): Promise<Source> {
  return db.transaction(async (trx) => {
    const source = await findSource(trx, sourceId);
    if (!source) throw new NotFoundError();
    const cited = await findCited(trx, input.cited);
    if (!cited) {
      throw new ValidationError({ [field]: 'No source in the library has that number or address. Add the source it repeats to the library first, then name it here.' });
    }
    const before = await findCitation(trx, sourceId, cited.id);
    if (!(await upsertCitation(trx, { sourceId, citedId: cited.id, kind: input.kind }, actor.id))) return cited;
    await recordSourceChangeOnClaims(trx, {
      sourceId,
      actorId: actor.id,
      sourceTitle: source.title,
      changes: { repeats: { from: before ? described(before.kind, cited) : null, to: described(input.kind, cited) } },
    });
    return cited;
  });
}

/** Removes a citation: the source no longer counts as repeating the other. */
export async function unciteSource(db: Db, actor: Actor, sourceId: number, citedId: number): Promise<void> {
  await db.transaction(async (trx) => {
    const [source, cited, citation] = [await findSource(trx, sourceId), await findSource(trx, citedId), await findCitation(trx, sourceId, citedId)];
    if (!source || !cited || !citation) throw new NotFoundError();
    if (!(await deleteCitation(trx, sourceId, citedId))) return;
    await recordSourceChangeOnClaims(trx, {
      sourceId,
      actorId: actor.id,
      sourceTitle: source.title,
      changes: { repeats: { from: described(citation.kind, cited), to: null } },
    });
  });
}

/**
 * Flags the supporting excerpts of a claim that read nearly word for word
 * alike (origin-pairs.repo.ts says how alike), from sources nothing yet ties
 * together, as possibly one origin. Runs inside an evidence change.
 */
export async function flagSimilarExcerpts(trx: Db, claimId: number): Promise<void> {
  const pairs = await similarExcerptPairs(trx, claimId);
  if (pairs.length === 0) return;
  const facts = (await evidenceFactsOf(trx, [claimId])).get(claimId) ?? [];
  const groupOf = new Map(originGroups(facts.filter((f) => f.relation === 'supports')).flatMap((g, i) => g.members.map((m) => [m.sourceId, i] as const)));
  await insertSuggestedPairs(
    trx,
    claimId,
    pairs.filter((p) => groupOf.get(p.sourceA) !== groupOf.get(p.sourceB)),
  );
}

/**
 * An editor's judgement of two sources flagged as possibly one origin: the
 * same origin (they then count once) or independent. A judgement made by
 * someone else since the page was opened is not overwritten (409). The
 * claim it was made on records it and gets a new version.
 */
export async function judgeOrigin(
  db: Db,
  actor: Actor,
  props: { claimId: number; sourceA: number; sourceB: number; from: OriginPairState; judgement: 'same' | 'independent' },
): Promise<void> {
  const [a, b] = [Math.min(props.sourceA, props.sourceB), Math.max(props.sourceA, props.sourceB)];
  await db.transaction(async (trx) => {
    const pair = await findPair(trx, a, b);
    // A pair is judged on a claim that cites both its sources.
    if (!pair || !(await isLinked(trx, props.claimId, a)) || !(await isLinked(trx, props.claimId, b))) throw new NotFoundError();
    if (pair.state === props.judgement) return;
    if (!(await judgePair(trx, { sourceA: a, sourceB: b, from: props.from, state: props.judgement, userId: actor.id }))) {
      throw new ConflictError(
        `${pair.decidedByName ?? 'Someone else'} judged these two sources meanwhile (${pair.state === 'same' ? 'one origin' : 'independent'}). Look again before changing it.`,
        pair,
        'stale_version',
      );
    }
    await bumpClaimVersion(trx, props.claimId);
    const words = { suggested: 'possibly one origin', same: 'one origin', independent: 'independent' } as const;
    await recordEvent(trx, {
      claimId: props.claimId,
      actorId: actor.id,
      type: 'source_changed',
      data: { sourceIds: [a, b], sourceTitles: [pair.titleA, pair.titleB], changes: { origin: { from: words[pair.state], to: words[props.judgement] } } },
    });
  });
}
