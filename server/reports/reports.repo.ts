import type { Db } from '../platform/database.ts';
import { decodeCursor, encodeCursor, escapeLike } from '../platform/pagination.ts';

export interface Report {
  id: number;
  title: string;
  outlet: string | null;
  byline: string | null;
  url: string | null;
  publishedOn: string | null;
  body: string;
  revision: number;
  importedBy: number;
  importedByName: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A report in a list: no body. */
export type ReportSummary = Omit<Report, 'body' | 'importedBy'>;

const SELECT = `r.id, r.title, r.outlet, r.byline, r.url, r.published_on AS "publishedOn", r.revision,
  r.imported_by AS "importedBy", u.display_name AS "importedByName", r.created_at AS "createdAt",
  r.updated_at AS "updatedAt", r.version`;

/** A report with its text and who imported it, or null. */
export async function findReport(db: Db, id: number): Promise<Report | null> {
  const { rows } = await db.raw<{ rows: Report[] }>(`SELECT ${SELECT}, r.body FROM reports r JOIN users u ON u.id = r.imported_by WHERE r.id = ?`, [id]);
  return rows[0] ?? null;
}

/** A report's text and revision, its row locked (FOR SHARE) so that no revision changes the text while a claim is anchored in it. */
export async function lockReportText(trx: Db, id: number): Promise<{ id: number; body: string; revision: number } | null> {
  const row = (await trx('reports').select('id', 'body', 'revision').where({ id }).forShare().first()) as { id: number; body: string; revision: number } | undefined;
  return row ?? null;
}

/** A report's text, address and revision, for quoting a claim in its paragraph. */
export async function reportText(db: Db, id: number): Promise<{ body: string; url: string | null; revision: number }> {
  return (await db('reports').select('body', 'url', 'revision').where({ id }).first()) as { body: string; url: string | null; revision: number };
}

export interface NewReport {
  title: string;
  outlet: string | null;
  byline: string | null;
  url: string | null;
  publishedOn: string | null;
  body: string;
}

/** Adds a report and its first revision. */
export async function insertReport(trx: Db, report: NewReport, importedBy: number): Promise<number> {
  const [row] = await trx('reports')
    .insert({
      title: report.title,
      outlet: report.outlet,
      byline: report.byline,
      url: report.url,
      published_on: report.publishedOn,
      body: report.body,
      imported_by: importedBy,
    })
    .returning('id');
  const id = (row as { id: number }).id;
  await trx('report_revisions').insert({ report_id: id, revision: 1, body: report.body, created_by: importedBy, note: 'Imported' });
  return id;
}

export interface ReportPage {
  reports: ReportSummary[];
  next: string | null;
}

/** Reports, newest first, a page at a time (keyset on created_at, id). */
export async function listReports(db: Db, options: { after?: string | null; limit?: number; q?: string | null } = {}): Promise<ReportPage> {
  const limit = options.limit ?? 30;
  const cursor = decodeCursor(options.after, ['timestamp', 'int']);
  const q = db('reports as r').join('users as u', 'u.id', 'r.imported_by').select(db.raw(SELECT)).select(db.raw(`to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`));
  if (cursor) q.whereRaw('(r.created_at, r.id) < (?::timestamptz, ?)', cursor);
  if (options.q) q.whereRaw("(r.title ILIKE '%' || ? || '%' OR r.outlet ILIKE '%' || ? || '%')", [escapeLike(options.q), escapeLike(options.q)]);
  const rows = (await q.orderBy([{ column: 'r.created_at', order: 'desc' }, { column: 'r.id', order: 'desc' }]).limit(limit + 1)) as (Report & { cursor_at: string })[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    reports: page.map(({ cursor_at: _c, ...r }) => r),
    next: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null,
  };
}

/** Updates a report if nobody changed it since `version`; returns false when they did. */
export async function updateReportIfVersion(trx: Db, id: number, version: number, changes: NewReport & { revision: number; updatedBy: number }): Promise<boolean> {
  const n = await trx('reports')
    .where({ id, version })
    .update({
      title: changes.title,
      outlet: changes.outlet,
      byline: changes.byline,
      url: changes.url,
      published_on: changes.publishedOn,
      body: changes.body,
      revision: changes.revision,
      updated_by: changes.updatedBy,
      version: trx.raw('version + 1'),
      updated_at: trx.fn.now(),
    });
  return n === 1;
}

/** Keeps the text of a new revision of a report. */
export async function insertRevision(trx: Db, reportId: number, revision: number, body: string, createdBy: number, note: string | null): Promise<void> {
  await trx('report_revisions').insert({ report_id: reportId, revision, body, created_by: createdBy, note });
}

/** The text a report had at one revision, or null when there is no such revision. */
export async function revisionBody(db: Db, reportId: number, revision: number): Promise<string | null> {
  const row = (await db('report_revisions').select('body').where({ report_id: reportId, revision }).first()) as { body: string } | undefined;
  return row?.body ?? null;
}

/**
 * Who saved the report after revision `revision`: the authors of each later
 * revision, then whoever saved it last (a change of details alone makes no
 * revision), each named once, in the order they saved.
 */
export async function saversSince(db: Db, reportId: number, revision: number | null): Promise<string[]> {
  const rows =
    revision === null
      ? []
      : ((await db('report_revisions as v')
          .join('users as u', 'u.id', 'v.created_by')
          .select('u.display_name as name')
          .where('v.report_id', reportId)
          .where('v.revision', '>', revision)
          .orderBy('v.revision')) as { name: string }[]);
  const last = (await db('reports as r')
    .join('users as u', 'u.id', db.raw('coalesce(r.updated_by, r.imported_by)'))
    .select('u.display_name as name')
    .where('r.id', reportId)
    .first()) as { name: string } | undefined;
  return [...new Set([...rows.map((r) => r.name), ...(last ? [last.name] : [])])];
}

export interface RevisionInfo {
  revision: number;
  note: string | null;
  createdAt: Date;
  createdByName: string;
}

/** A report's revisions, newest first, with who saved each. */
export async function listRevisions(db: Db, reportId: number): Promise<RevisionInfo[]> {
  return (await db('report_revisions as v')
    .join('users as u', 'u.id', 'v.created_by')
    .select('v.revision', 'v.note', 'v.created_at as createdAt', 'u.display_name as createdByName')
    .where('v.report_id', reportId)
    .orderBy('v.revision', 'desc')) as RevisionInfo[];
}

/** The reports a filter offers: the newest `limit`, plus `include` (the one a URL names) wherever it is. */
export async function reportChoices(db: Db, limit = 200, include: number | null = null): Promise<{ id: number; title: string }[]> {
  const newest = (await db('reports').select('id', 'title').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)) as {
    id: number;
    title: string;
  }[];
  if (include === null || newest.some((r) => r.id === include)) return newest;
  const named = (await db('reports').select('id', 'title').where({ id: include }).first()) as { id: number; title: string } | undefined;
  return [...newest, named ?? { id: include, title: `Report #${include} (not found)` }];
}
