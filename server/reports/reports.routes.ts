import { Router, type Request, type Response } from 'express';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid, respond } from '../platform/http.ts';
import { allow } from '../platform/policies.ts';
import { optionalText, parseId, parseInput } from '../platform/validate.ts';
import { z } from 'zod';
import { importFile } from './import.ts';
import { createReport, reviseReport } from './reports.commands.ts';
import { findReport, listReports, listRevisions, type NewReport, type Report } from './reports.repo.ts';
import { ReportEditFields, ReportFields } from './schemas.ts';
import { formatBytes, MAX_BODY_BYTES, normaliseBody } from './text.ts';
import { renderReportPage } from './report-page.ts';
import { uploadRefusal } from './upload.ts';
import { onFormFields, STALE_FORM_MESSAGE } from '../claims/form-errors.ts';

const ListQuery = z.object({ q: optionalText('search', 200), after: z.string().max(2000).optional() });

/** Reports: the list, import (paste or upload), the report page, and corrections (revisions). */
export function reportsRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.get('/reports', allow('desk.read'), async (req, res) => {
    const query = parseInput(ListQuery, req.query);
    const page = await listReports(db, { q: query.q, after: query.after ?? null });
    await respond(req, res, () => res.render('reports/index', { title: 'Reports', page, q: query.q ?? '' }), () => page);
  });

  router.get('/reports/new', allow('report.create'), (_req, res) => {
    renderNew(res, {}, {});
  });

  router.post('/reports', allow('report.create'), async (req, res) => {
    onInvalid(res, (err) => renderNew(res, formValues(req), fieldErrorsOf(err)));
    // The upload parser (upload.ts) stopped at a field over its limit: the fields before it are kept.
    const refused = uploadRefusal(res);
    if (refused) throw refused;
    const report = await reportFromRequest(req);
    const id = await createReport(db, req.user!, report);
    req.session.flash = { kind: 'success', text: 'Report imported. Select a sentence in the text to log it as a claim.' };
    res.redirect(303, `/reports/${id}`);
  });

  router.get('/reports/:id', allow('desk.read'), async (req, res) => {
    const report = await loadReport(db, req);
    await renderReportPage(db, req, res, report, { values: {}, errors: {} });
  });

  router.get('/reports/:id/edit', allow('report.edit'), async (req, res) => {
    const report = await loadReport(db, req);
    renderEdit(res, report, { ...report, version: report.version }, {}, null);
  });

  router.post('/reports/:id', allow('report.edit'), async (req, res) => {
    const report = await loadReport(db, req);
    onInvalid(res, (err) => {
      const current = err instanceof ConflictError ? (err.current as { version: number; body: string; revision: number }) : null;
      renderEdit(res, report, formValues(req), fieldErrorsOf(err), current);
    });
    const input = parseReportFields(ReportEditFields, req.body);
    const changes = checkedReport(input, null);
    const outcome = await reviseReport(db, req.user!, { reportId: report.id, version: input.version, changes, note: input.note });
    req.session.flash = {
      kind: outcome.missing > 0 ? 'warning' : 'success',
      text:
        outcome.revision === report.revision
          ? 'Report details saved.'
          : `Saved as revision ${outcome.revision}. ${outcome.moved} claim(s) re-anchored to their quote${outcome.missing > 0 ? `; ${outcome.missing} claim(s) lost their quote and are flagged` : ''}.`,
    };
    res.redirect(303, `/reports/${report.id}`);
  });

  router.get('/reports/:id/revisions', allow('desk.read'), async (req, res) => {
    const report = await loadReport(db, req);
    const revisions = await listRevisions(db, report.id);
    await respond(req, res, () => res.render('reports/revisions', { title: `Revisions of ${report.title}`, report, revisions }), () => ({ revisions }));
  });

  return router;
}

export async function loadReport(db: Db, req: Request): Promise<Report> {
  const id = parseId(req.params.id);
  const report = id === null ? null : await findReport(db, id);
  if (!report) throw new NotFoundError();
  return report;
}

/** The new report from the form: pasted text or an uploaded file (not both). */
async function reportFromRequest(req: Request): Promise<NewReport> {
  const input = parseReportFields(ReportFields, req.body);
  if (!req.file) return checkedReport(input, null);
  if (input.body.trim()) throw new ValidationError({ file: 'Either paste the text or upload a file, not both.' });
  const imported = await importFile(req.file);
  return checkedReport(
    {
      ...input,
      title: input.title ?? imported.title,
      outlet: input.outlet ?? imported.outlet,
      byline: input.byline ?? imported.byline,
      publishedOn: input.publishedOn ?? imported.publishedOn,
      body: imported.body,
    },
    req.file.originalname,
  );
}

/**
 * Parses the form; when some fields are refused, the title and text are
 * checked too, so every problem is listed at once.
 */
function parseReportFields<S extends typeof ReportFields | typeof ReportEditFields>(schema: S, body: unknown): z.output<S> {
  try {
    return parseInput(schema, body) as z.output<S>;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const raw = (body ?? {}) as Record<string, unknown>;
    const more: FieldErrors = {};
    if (typeof raw.title !== 'string' || !raw.title.trim()) more.title = 'Enter the report’s title.';
    if (typeof raw.body !== 'string' || !raw.body.trim()) more.body = 'Paste the report’s text, or upload a file.';
    throw new ValidationError({ ...more, ...err.fields });
  }
}

/** The title and body rules that apply however the text arrived. */
function checkedReport(input: z.output<typeof ReportFields>, fileName: string | null): NewReport {
  const errors: FieldErrors = {};
  const body = normaliseBody(input.body);
  if (!input.title) errors.title = 'Enter the report’s title.';
  if (!body) errors[fileName ? 'file' : 'body'] = fileName ? 'The file has no text in it.' : 'Paste the report’s text, or upload a file.';
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    errors[fileName ? 'file' : 'body'] = `The text is ${formatBytes(bytes)}; a report can hold at most 1 MB of text. Split it into parts.`;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { title: input.title!, outlet: input.outlet, byline: input.byline, url: input.url, publishedOn: input.publishedOn, body };
}

function formValues(req: Request): Record<string, unknown> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    title: text(body.title),
    outlet: text(body.outlet),
    byline: text(body.byline),
    url: text(body.url),
    publishedOn: text(body.publishedOn),
    body: text(body.body),
    note: text(body.note),
    version: text(body.version),
  };
}

// The fields each form shows: the error summary links only to these.
const NEW_FIELDS = ['title', 'outlet', 'byline', 'url', 'publishedOn', 'body', 'file'];
const EDIT_FIELDS = ['title', 'outlet', 'byline', 'url', 'publishedOn', 'body', 'note'];

function renderNew(res: Response, values: Record<string, unknown>, errors: FieldErrors): void {
  res.render('reports/new', { title: 'Import a report', values, errors: onFormFields(errors, NEW_FIELDS) });
}

function renderEdit(
  res: Response,
  report: Report,
  values: Record<string, unknown>,
  errors: FieldErrors,
  current: { version: number; body: string; revision: number } | null,
): void {
  res.render('reports/edit', { title: `Edit ${report.title}`, report, values, errors: onFormFields(errors, EDIT_FIELDS, { version: STALE_FORM_MESSAGE }), current });
}

