import { Router, type Response } from 'express';
import { onFormFields, STALE_FORM_MESSAGE } from '../platform/form-errors.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, type FieldErrors, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid, respond } from '../platform/http.ts';
import { allow } from '../platform/policies.ts';
import { parseId } from '../platform/validate.ts';
import { revisionMessage } from './messages.ts';
import { reportConflict, type ReportConflict } from './report-conflict.ts';
import { checkedReport, FileKeptError, formValues, parseReportFields, reportFromImportForm, type FileRead, type OutboundSettings } from './report-form.ts';
import { loadReport } from './report-loader.ts';
import { createReport, reviseReport, type CurrentReport, type ReanchorClaims } from './reports.commands.ts';
import { listRevisions, type Report } from './reports.repo.ts';
import { ReportEditFields } from './schemas.ts';
import { uploadRefusal } from './upload.ts';

/**
 * Reports: import (paste or upload), corrections (revisions) and their
 * history. The list and the report page show claims too: they are screens in
 * server/pages/. A correction re-anchors the claims through `reanchorClaims`.
 */
export function reportsRoutes({ db, reanchorClaims, outbound }: { db: Db; reanchorClaims: ReanchorClaims; outbound: OutboundSettings }): Router {
  const router = Router();

  router.get('/reports/new', allow('report.create'), (_req, res) => {
    renderNew(res, {}, {}, null);
  });

  router.post('/reports', allow('report.create'), async (req, res) => {
    onInvalid(res, (err) => renderNew(res, formValues(req), fieldErrorsOf(err), err instanceof FileKeptError ? err.file : null));
    // The upload parser (upload.ts) stopped at a field over its limit: the fields before it are kept.
    const refused = uploadRefusal(res);
    if (refused) throw refused;
    const { report, titleFromFile } = await reportFromImportForm(req, outbound);
    const id = await createReport(db, req.user!, report);
    const titled = titleFromFile ? ` Its title, “${titleFromFile}”, was taken from the file; change it with “Correct the text” if it is not right.` : '';
    req.session.flash = { kind: 'success', text: `Report imported.${titled} Select a sentence in the text to log it as a claim.` };
    res.redirect(303, `/reports/${id}`);
  });

  router.get('/reports/:id/edit', allow('report.edit'), async (req, res) => {
    const report = await loadReport(db, req);
    renderEdit(res, report, { ...report, version: report.version, baseRevision: report.revision }, {}, null);
  });

  router.post('/reports/:id', allow('report.edit'), async (req, res) => {
    const report = await loadReport(db, req);
    onInvalid(res, async (err) => {
      const values = formValues(req);
      const conflict =
        err instanceof ConflictError && err.code === 'stale_version'
          ? await reportConflict(db, report.id, parseId(values.baseRevision), err.current as CurrentReport, values)
          : null;
      renderEdit(res, report, values, fieldErrorsOf(err), conflict);
    });
    const input = parseReportFields(ReportEditFields, req.body, 'correct');
    const changes = checkedReport(input, null, 'correct');
    const outcome = await reviseReport(db, { actor: req.user!, reportId: report.id, version: input.version, baseRevision: input.baseRevision, changes, note: input.note, reanchorClaims });
    req.session.flash = {
      kind: outcome.missing > 0 ? 'warning' : 'success',
      text: outcome.revision === report.revision ? 'Report details saved.' : revisionMessage(outcome),
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

// The fields each form shows: the error summary links only to these.
const NEW_FIELDS = ['title', 'outlet', 'byline', 'url', 'publishedOn', 'body', 'address', 'file'];
const EDIT_FIELDS = ['title', 'outlet', 'byline', 'url', 'publishedOn', 'body', 'note'];

/**
 * The import form; with `file`, the file or page that was read: its text (and
 * proposed title) fill the form. A page's address moves to the URL field, so
 * sending the form again imports the text shown rather than fetching anew.
 */
function renderNew(res: Response, values: Record<string, unknown>, errors: FieldErrors, file: FileRead | null): void {
  const fromAddress = file?.field === 'address' ? { address: '', url: values.url || file.name } : {};
  const filled = file ? { ...values, body: file.body, ...(file.title ? { title: file.title } : {}), ...fromAddress } : values;
  res.render('reports/new', { title: 'Import a report', values: filled, errors: onFormFields(errors, NEW_FIELDS), fileRead: file });
}

function renderEdit(
  res: Response,
  report: Report,
  values: Record<string, unknown>,
  errors: FieldErrors,
  conflict: ReportConflict | null,
): void {
  const hidden = { version: STALE_FORM_MESSAGE, baseRevision: STALE_FORM_MESSAGE };
  res.render('reports/edit', { title: `Edit ${report.title}`, report, values, errors: onFormFields(errors, EDIT_FIELDS, hidden), conflict });
}

