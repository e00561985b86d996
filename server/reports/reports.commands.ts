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

/**
 * Re-anchors the report's claims in its new text, in the revision's
 * transaction, and counts what moved and what went missing. The claims
 * feature provides it (claims/reanchor.ts); app.ts hands it to the reports
 * routes, so reports, which claims build on, never imports claims.
 */
export type ReanchorClaims = (
  trx: Db,
  props: { actor: Actor; reportId: number; body: string; revision: number },
) => Promise<Omit<RevisionOutcome, 'revision'>>;

/** A correction of a report: its details, perhaps its text, and how the claims follow. */
export interface ReviseReportProps {
  actor: Actor;
  reportId: number;
  version: number;
  baseRevision: number | null;
  changes: NewReport;
  note: string | null;
  reanchorClaims: ReanchorClaims;
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
export async function reviseReport(db: Db, props: ReviseReportProps): Promise<RevisionOutcome> {
  const { actor } = props;
  return db.transaction(async (trx) => {
    const current = await findReport(trx, props.reportId);
    if (!current) throw new NotFoundError();
    const bodyChanged = current.body !== props.changes.body;
    const revision = bodyChanged ? current.revision + 1 : current.revision;
    const saved = await updateReportIfVersion(trx, current.id, props.version, { ...props.changes, revision, updatedBy: actor.id });
    if (!saved) throw await staleReport(trx, current, props.baseRevision);
    if (!bodyChanged) return { revision, claims: 0, moved: 0, missing: 0 };
    await insertRevision(trx, current.id, revision, props.changes.body, actor.id, props.note);
    return { revision, ...(await props.reanchorClaims(trx, { actor, reportId: current.id, body: props.changes.body, revision })) };
  });
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
