import { recordEvent } from '../audit/events.repo.ts';
import { bumpClaimVersion, lockClaimStatus } from '../claims/claims.repo.ts';
import { canChangeEvidenceIn, STATUS_LABELS, type Status } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';
import { deleteEvidence, evidenceFactsOf, evidenceOfClaim, findEvidence, insertEvidence, isLinked, updateEvidenceIfVersion } from './evidence.repo.ts';
import { credibilityOneRefusal } from './independence.ts';
import { citeSource, flagSimilarExcerpts } from './provenance.commands.ts';
import type { AddEvidenceInput, EditEvidenceInput } from './schemas.ts';
import { createSource } from './sources.commands.ts';
import { findSource } from './sources.repo.ts';

/**
 * Locks the claim for an evidence change and checks its status allows one.
 * Evidence changes bump the claim's version: a reviewer who decided on the
 * evidence they saw gets a 409 if it changed meanwhile.
 */
async function lockOpenClaim(trx: Db, claimId: number): Promise<{ id: number; status: Status }> {
  const claim = await lockClaimStatus(trx, claimId);
  if (!claim) throw new NotFoundError();
  if (!canChangeEvidenceIn(claim.status)) {
    throw new ConflictError(
      `This claim is ${STATUS_LABELS[claim.status].toLowerCase()}, so its evidence is frozen. A reviewer must reopen it before evidence can be added, changed or removed.`,
      undefined,
      'claim_frozen',
    );
  }
  return claim;
}

/** Refuses credibility 1 on a link, with the evidence as it now stands, unless independent sources confirm it (the transaction then rolls back). */
async function checkCredibility(trx: Db, claimId: number, link: { credibility: number; relation: string }): Promise<void> {
  if (link.credibility !== 1) return;
  const refusal = credibilityOneRefusal((await evidenceFactsOf(trx, [claimId])).get(claimId) ?? [], link.relation);
  if (refusal) throw new ValidationError({ credibility: refusal });
}

/** Links a source (from the library, or created inline) to a claim, with how it bears on it. */
export async function linkEvidence(db: Db, actor: Actor, claimId: number, input: AddEvidenceInput): Promise<number> {
  return db.transaction(async (trx) => {
    await lockOpenClaim(trx, claimId);
    let sourceId: number;
    if (input.sourceId) {
      const source = await findSource(trx, input.sourceId);
      if (!source) throw new ValidationError({ sourceId: 'That source is not in the library any more. Search for it again.' });
      sourceId = source.id;
    } else if (input.newTitle) {
      sourceId = await createSource(
        trx,
        actor,
        {
          kind: input.newKind,
          title: input.newTitle,
          url: input.newUrl,
          publisher: input.newPublisher,
          outlet: null,
          author: null,
          publishedOn: null,
          accessedOn: new Date().toISOString().slice(0, 10),
          archiveUrl: null,
          reliability: input.newReliability,
          notes: null,
        },
        'newUrl',
      );
    } else {
      throw new ValidationError({ newTitle: 'Enter the new source’s title, or choose a source from the library.' });
    }
    if (input.repeatsSource) await citeSource(trx, actor, sourceId, { cited: input.repeatsSource, kind: input.repeatsKind }, 'repeatsSource');
    if (await isLinked(trx, claimId, sourceId)) throw new ValidationError({ sourceId: 'This source is already linked to the claim. Change that link instead of adding it twice.' });
    const linkId = await insertEvidence(
      trx,
      { claimId, sourceId, relation: input.relation, excerpt: input.excerpt, locator: input.locator, credibility: input.credibility, note: input.note },
      actor.id,
    );
    await checkCredibility(trx, claimId, input);
    await flagSimilarExcerpts(trx, claimId);
    const source = (await findSource(trx, sourceId))!;
    await bumpClaimVersion(trx, claimId);
    await recordEvent(trx, {
      claimId,
      actorId: actor.id,
      type: 'evidence_linked',
      data: { linkId, sourceId, sourceTitle: source.title, relation: input.relation, reliability: source.reliability, credibility: input.credibility },
    });
    return linkId;
  });
}

/** Links a source already in the library (the sample newsroom and tests use this). */
export function linkLibrarySource(
  db: Db,
  actor: Actor,
  claimId: number,
  link: Pick<AddEvidenceInput, 'relation' | 'credibility'> & { sourceId: number; excerpt?: string | null; locator?: string | null; note?: string | null },
): Promise<number> {
  return linkEvidence(db, actor, claimId, {
    excerpt: null,
    locator: null,
    note: null,
    ...link,
    newTitle: null,
    newUrl: null,
    newPublisher: null,
    newKind: 'web_page',
    newReliability: 'F',
    repeatsSource: null,
    repeatsKind: 'based_on',
  });
}

const EVIDENCE_FIELDS = ['relation', 'excerpt', 'locator', 'credibility', 'note'] as const;

/** Changes how a linked source bears on the claim; a stale form is a 409. */
export async function changeEvidence(db: Db, actor: Actor, claimId: number, linkId: number, input: EditEvidenceInput): Promise<void> {
  await db.transaction(async (trx) => {
    await lockOpenClaim(trx, claimId);
    const link = await findEvidence(trx, claimId, linkId);
    if (!link) throw new NotFoundError();
    if (link.version !== input.version) {
      throw new ConflictError('Someone else changed this evidence after you opened it. Check the current version and save again.', link, 'stale_version');
    }
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const f of EVIDENCE_FIELDS) if (link[f] !== input[f]) changes[f] = { from: link[f], to: input[f] };
    if (Object.keys(changes).length === 0) return;
    await updateEvidenceIfVersion(trx, {
      id: linkId,
      version: input.version,
      change: { relation: input.relation, excerpt: input.excerpt, locator: input.locator, credibility: input.credibility, note: input.note },
      updatedBy: actor.id,
    });
    await checkCredibility(trx, claimId, input);
    await flagSimilarExcerpts(trx, claimId);
    await bumpClaimVersion(trx, claimId);
    await recordEvent(trx, { claimId, actorId: actor.id, type: 'evidence_changed', data: { linkId, sourceId: link.sourceId, sourceTitle: link.sourceTitle, changes } });
  });
}

/** Removes a source from a claim's evidence (the source stays in the library). */
export async function unlinkEvidence(db: Db, actor: Actor, claimId: number, linkId: number): Promise<void> {
  await db.transaction(async (trx) => {
    await lockOpenClaim(trx, claimId);
    const link = await findEvidence(trx, claimId, linkId);
    if (!link) throw new NotFoundError();
    await deleteEvidence(trx, linkId);
    await bumpClaimVersion(trx, claimId);
    await recordEvent(trx, {
      claimId,
      actorId: actor.id,
      type: 'evidence_unlinked',
      data: { linkId, sourceId: link.sourceId, sourceTitle: link.sourceTitle, relation: link.relation },
    });
  });
}

/**
 * Copies an earlier claim's evidence to a claim that repeats it (a verdict
 * reused with its evidence): every source the claim does not cite yet, with
 * the same relation, ratings, excerpt and place, recorded as linked from the
 * earlier claim. Returns how many links were copied.
 */
export async function copyEvidence(trx: Db, actor: Actor, props: { fromClaimId: number; toClaimId: number }): Promise<number> {
  await lockOpenClaim(trx, props.toClaimId);
  let copied = 0;
  for (const link of await evidenceOfClaim(trx, props.fromClaimId)) {
    if (await isLinked(trx, props.toClaimId, link.sourceId)) continue;
    const linkId = await insertEvidence(
      trx,
      { claimId: props.toClaimId, sourceId: link.sourceId, relation: link.relation, excerpt: link.excerpt, locator: link.locator, credibility: link.credibility, note: link.note },
      actor.id,
    );
    await recordEvent(trx, {
      claimId: props.toClaimId,
      actorId: actor.id,
      type: 'evidence_linked',
      data: { linkId, sourceId: link.sourceId, sourceTitle: link.sourceTitle, relation: link.relation, reliability: link.reliability, credibility: link.credibility, copiedFrom: props.fromClaimId },
    });
    copied += 1;
  }
  if (copied > 0) await bumpClaimVersion(trx, props.toClaimId);
  return copied;
}
