import { recordEvents, type NewEvent } from '../audit/events.ts';
import { anchorAt, reanchor } from '../claims/anchor.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';
import { findReport, insertReport, insertRevision, saversSince, updateReportIfVersion, type NewReport, type Report } from './reports.repo.ts';

/** Imports a report (revision 1). */
export async function createReport(db: Db, actor: Actor, report: NewReport): Promise<number> {
  return db.transaction((trx) => insertReport(trx, report, actor.id));
}

/** What a revision did to the claims of the report. */
export interface RevisionOutcome {
  revision: number;
  /** How many claims the report has. */
  claims: number;
  moved: number;
  missing: number;
}

/** What a stale correction form is told about the report as it is now (the 409's `current`). */
export interface CurrentReport {
  version: number;
  revision: number;
  title: string;
  outlet: string | null;
  byline: string | null;
  url: string | null;
  publishedOn: string | null;
  body: string;
  /** Who saved since the revision the form was opened on, by name. */
  savedBy: string[];
}

/**
 * Saves a report's details and, if its text changed, a new revision: every
 * claim re-anchors by its quote, and a claim whose quote is gone is flagged.
 * A stale form (someone saved first) is a 409 that keeps the user's text.
 */
export async function reviseReport(
  db: Db,
  actor: Actor,
  props: { reportId: number; version: number; baseRevision: number | null; changes: NewReport; note: string | null },
): Promise<RevisionOutcome> {
  return db.transaction(async (trx) => {
    const current = await findReport(trx, props.reportId);
    if (!current) throw new NotFoundError();
    const bodyChanged = current.body !== props.changes.body;
    const revision = bodyChanged ? current.revision + 1 : current.revision;
    const saved = await updateReportIfVersion(trx, current.id, props.version, { ...props.changes, revision, updatedBy: actor.id });
    if (!saved) throw await staleReport(trx, current, props.baseRevision);
    if (!bodyChanged) return { revision, claims: 0, moved: 0, missing: 0 };
    await insertRevision(trx, current.id, revision, props.changes.body, actor.id, props.note);
    return { revision, ...(await reanchorClaims(trx, actor, current.id, props.changes.body, revision)) };
  });
}

/**
 * Re-anchors every claim of the report in the new text. A claim whose quote
 * moved, or was lost or found again, gets a new version and an event, in the
 * revision's transaction: a form opened on the old text is then stale (409)
 * instead of saving against a passage that is no longer where it was.
 */
async function reanchorClaims(trx: Db, actor: Actor, reportId: number, body: string, revision: number): Promise<{ claims: number; moved: number; missing: number }> {
  const claims = (await trx('claims')
    .select('id', 'quote', 'quote_prefix', 'quote_suffix', 'quote_start', 'quote_end', 'quote_missing')
    .where({ report_id: reportId })
    .orderBy('id')
    .forUpdate()) as { id: number; quote: string; quote_prefix: string; quote_suffix: string; quote_start: number; quote_end: number; quote_missing: boolean }[];
  const events: NewEvent[] = [];
  let moved = 0;
  let missing = 0;
  const bump = () => ({ version: trx.raw('version + 1') });
  for (const c of claims) {
    const found = reanchor(body, { exact: c.quote, prefix: c.quote_prefix, suffix: c.quote_suffix, start: c.quote_start, end: c.quote_end });
    if (found) {
      const anchor = anchorAt(body, found.start, found.end);
      const changed = anchor.start !== c.quote_start || anchor.end !== c.quote_end || c.quote_missing;
      await trx('claims').where({ id: c.id }).update({
        quote_start: anchor.start,
        quote_end: anchor.end,
        quote_prefix: anchor.prefix,
        quote_suffix: anchor.suffix,
        anchored_revision: revision,
        quote_missing: false,
        ...(changed ? bump() : {}),
      });
      if (changed) {
        moved += 1;
        events.push({ claimId: c.id, actorId: actor.id, type: 'reanchored', data: { revision, from: c.quote_start, to: anchor.start } });
      }
    } else {
      missing += 1;
      if (c.quote_missing) continue;
      await trx('claims').where({ id: c.id }).update({ quote_missing: true, ...bump() });
      events.push({ claimId: c.id, actorId: actor.id, type: 'reanchored', data: { revision, missing: true } });
    }
  }
  await recordEvents(trx, events);
  return { claims: claims.length, moved, missing };
}

/** The 409 for a form opened before someone else saved: the report as it is now, and who saved it. */
async function staleReport(trx: Db, current: Report, baseRevision: number | null): Promise<ConflictError> {
  const savedBy = await saversSince(trx, current.id, baseRevision);
  const { version, revision, title, outlet, byline, url, publishedOn, body } = current;
  const by = savedBy.length > 0 ? ` by ${listOf(savedBy)}` : '';
  return new ConflictError(
    `This report was saved${by} (now revision ${revision}) after you opened it. Below is what changed on each side. Your text is still in the box: add their changes to it if they should stay, then save.`,
    { version, revision, title, outlet, byline, url, publishedOn, body, savedBy } satisfies CurrentReport,
    'stale_version',
  );
}

/** "A", "A and B", "A, B and C". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
