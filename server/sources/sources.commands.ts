import { recordEventsFrom } from '../audit/events.repo.ts';
import { bumpOpenClaims } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';
import type { SourceInput } from './schemas.ts';
import { cleanSourceUrl, normaliseSourceUrl } from './source-urls.ts';
import { claimIdsCiting, claimsCitingWithStatus } from './evidence.repo.ts';
import { findSource, findSourceByUrl, insertSource, updateSourceIfVersion, type Source, type SourceChanges, type SourceFields } from './sources.repo.ts';

/** A source already in the library under the same URL: the desk uses it instead of a duplicate. */
export class DuplicateSourceError extends ConflictError {
  constructor(readonly existing: Source) {
    super(`This URL is already in the library as “${existing.title}”. Use that source instead of adding it twice.`, existing, 'duplicate_source');
  }
}

/**
 * Source fields with the URL cleaned (the address kept and opened) and in its
 * one normal form (the key that makes the same page one source); `field`
 * names the form field a bad URL is reported on.
 */
export function withNormalisedUrl(input: SourceInput, field = 'url'): SourceFields {
  if (!input.url) return { ...input, urlNormalized: null };
  const cleaned = cleanSourceUrl(input.url);
  const normalized = normaliseSourceUrl(input.url);
  if (typeof cleaned !== 'string') throw new ValidationError({ [field]: cleaned.error });
  if (typeof normalized !== 'string') throw new ValidationError({ [field]: normalized.error });
  return { ...input, url: cleaned, urlNormalized: normalized };
}

/** Adds a source to the library, or refuses with the existing one when its URL is known. */
export async function createSource(db: Db, actor: Actor, input: SourceInput, field = 'url'): Promise<number> {
  const fields = withNormalisedUrl(input, field);
  if (fields.urlNormalized) {
    const existing = await findSourceByUrl(db, fields.urlNormalized);
    if (existing) throw new DuplicateSourceError(existing);
  }
  const id = await insertSource(db, fields, actor.id);
  if (id !== null) return id;
  // Someone added the same URL at the same moment and committed first: offer theirs.
  const theirs = fields.urlNormalized ? await findSourceByUrl(db, fields.urlNormalized) : null;
  if (theirs) throw new DuplicateSourceError(theirs);
  throw new ConflictError('Someone else was adding the same source at the same moment. Try again.');
}

const SHOWN_ON_CLAIMS = ['title', 'url', 'publisher', 'reliability'] as const;

/** The fields claims show (title, URL, publisher, reliability) that an edit changes. */
export function changesShownOnClaims(before: SourceFields, after: SourceFields): SourceChanges {
  const changes: SourceChanges = {};
  for (const f of SHOWN_ON_CLAIMS) if (before[f] !== after[f]) changes[f] = { from: before[f], to: after[f] };
  return changes;
}

/**
 * Saves a source edit; a stale form is a 409 and a URL taken by another
 * source is refused. A change that claims show is recorded in the history of
 * every claim citing the source, in the same transaction.
 */
export async function updateSource(db: Db, actor: Actor, sourceId: number, version: number, input: SourceInput): Promise<void> {
  const fields = withNormalisedUrl(input);
  await db.transaction(async (trx) => {
    const current = await findSource(trx, sourceId);
    if (!current) throw new NotFoundError();
    if (fields.urlNormalized) {
      const other = await findSourceByUrl(trx, fields.urlNormalized);
      if (other && other.id !== sourceId) throw new DuplicateSourceError(other);
    }
    if (current.version !== version || !(await updateSourceIfVersion(trx, sourceId, version, fields))) {
      const saved = current.version === version ? await findSource(trx, sourceId) : current; // changed between our read and our write
      throw new ConflictError('Someone else saved this source after you opened it. Compare their version with yours below, then save again to keep yours.', saved ?? current, 'stale_version');
    }
    const changes = changesShownOnClaims(current, fields);
    if (Object.keys(changes).length > 0) await recordSourceChangeOnClaims(trx, { sourceId, actorId: actor.id, sourceTitle: fields.title, changes });
  });
}

/**
 * Records a source change in the history of every claim that cites it, with
 * one INSERT … SELECT however many claims that is, and bumps the version of
 * each such claim not yet decided: a decision or edit form opened before the
 * change is then stale (409) and shows the new evidence. Decided claims keep
 * their version and status; their history says what changed.
 */
export async function recordSourceChangeOnClaims(trx: Db, change: { sourceId: number; actorId: number; sourceTitle: string; changes: SourceChanges | Record<string, { from: string | null; to: string | null }> }): Promise<void> {
  await bumpOpenClaims(trx, claimIdsCiting(trx, change.sourceId));
  await recordEventsFrom(trx, {
    actorId: change.actorId,
    type: 'source_changed',
    data: { sourceId: change.sourceId, sourceTitle: change.sourceTitle, changes: change.changes },
    subject: claimsCitingWithStatus(trx, change.sourceId),
  });
}
