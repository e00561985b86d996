import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ClaimFilters, filtersToQuery, type ClaimFilterValues } from '../claims/claim-filters.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import { ValidationError } from '../platform/errors.ts';
import { allow, type Actor } from '../platform/policies.ts';
import { parseInput } from '../platform/validate.ts';
import { loadReport } from '../reports/report-loader.ts';
import type { Report } from '../reports/reports.repo.ts';
import type { ExportFormat } from './export-log.repo.ts';
import { contentDisposition, selectionName } from './filenames.ts';
import { SCOPES, sheetQuery, type SheetRow, type SheetSelection } from './sheet.repo.ts';
import { recordExport, responseOutcome, streamExport } from './stream-export.ts';
import { writeClaimReview, writeCsv, writeJson, type RowSource } from './writers.ts';
import { claimReviewOptionsFrom } from './claimreview.ts';
import { writeXlsx } from './xlsx.ts';

/** The most claims a printable page shows; larger selections are downloaded instead. */
const PRINTABLE_LIMIT = 2000;

const ExportOptions = z.object({
  scope: z.preprocess((v) => (v === '' || v === undefined ? 'verified' : v), z.enum(SCOPES, { error: 'Choose verified claims, all decided claims, or (JSON only) all claims.' })),
  bom: z.preprocess((v) => v === '1' || v === 'true', z.boolean()),
});

interface Download {
  ext: string;
  format: ExportFormat;
  contentType: string;
  allowsAll: boolean;
  write: (res: Response, rows: RowSource, sent: number[], ctx: { baseUrl: string; bom: boolean; config: Config; meta: Record<string, unknown> }) => Promise<void>;
}

/** Each download's file: the Content-Type is sent as written here (with its charset), never guessed from the extension. */
const DOWNLOADS: Download[] = [
  { ext: 'csv', format: 'csv', contentType: 'text/csv; charset=utf-8', allowsAll: false, write: (res, rows, sent, c) => writeCsv(res, rows, sent, { baseUrl: c.baseUrl, bom: c.bom, evidence: false }) },
  { ext: 'evidence.csv', format: 'csv_evidence', contentType: 'text/csv; charset=utf-8', allowsAll: false, write: (res, rows, sent, c) => writeCsv(res, rows, sent, { baseUrl: c.baseUrl, bom: c.bom, evidence: true }) },
  { ext: 'xlsx', format: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', allowsAll: false, write: (res, rows, sent, c) => writeXlsx(res, rows, sent, { baseUrl: c.baseUrl }) },
  { ext: 'json', format: 'json', contentType: 'application/json; charset=utf-8', allowsAll: true, write: (res, rows, sent, c) => writeJson(res, rows, sent, c.meta, { baseUrl: c.baseUrl }) },
  {
    ext: 'jsonld',
    format: 'claimreview',
    contentType: 'application/ld+json; charset=utf-8',
    allowsAll: false,
    write: (res, rows, sent, c) =>
      writeClaimReview(res, rows, sent, claimReviewOptionsFrom({ ...c.config, baseUrl: c.baseUrl })),
  },
];

/**
 * Claim sheets: a printable page and downloads for one report
 * (/reports/:id/sheet) and for any filter of the claims list (/claims/sheet).
 * An export is authorised like reading the claims, and logged once its
 * response is over, with the claims that went out and whether all of it did.
 */
export function exportsRoutes({ db, config }: { db: Db; config: Config }): Router {
  const router = Router();

  const selectionOf = async (req: Request): Promise<{ selection: SheetSelection; report: Report | null; filters: ClaimFilterValues | null }> => {
    const { scope } = parseInput(ExportOptions, req.query);
    if (req.params.id !== undefined) {
      const report = await loadReport(db, req);
      return { selection: { scope, filters: null, reportId: report.id }, report, filters: null };
    }
    const filters = parseInput(ClaimFilters, req.query);
    return { selection: { scope, filters, reportId: null }, report: null, filters };
  };

  const page = async (req: Request, res: Response) => {
    const { selection, report, filters } = await selectionOf(req);
    if (selection.scope === 'all') throw new ValidationError({ scope: 'A printable sheet holds decided claims only. Choose verified or all decided claims.' });
    const rows = (await sheetQuery(db, selection, req.user!).limit(PRINTABLE_LIMIT + 1)) as SheetRow[];
    const shown = rows.slice(0, PRINTABLE_LIMIT);
    const query = filters ? filtersToQuery(filters) : new URLSearchParams();
    if (selection.scope !== 'verified') query.set('scope', selection.scope);
    const html = await renderView(res, 'exports/sheet', {
      title: report ? `Claim sheet: ${report.title}` : 'Claim sheet',
      bodyClass: 'page-sheet',
      report,
      rows: shown,
      truncated: rows.length > PRINTABLE_LIMIT,
      scope: selection.scope,
      base: report ? `/reports/${report.id}/sheet` : '/claims/sheet',
      query: query.toString(),
      exportedAt: new Date(),
      baseUrl: config.baseUrl,
      filtersText: filters ? describeFilters(filters) : null,
    });
    const outcome = responseOutcome(res);
    res.send(html);
    await recordExport(db, req.log, req.user!, { format: 'html', reportId: report?.id ?? null, scope: scopeRecord(selection), claimIds: shown.map((r) => r.id), completed: await outcome });
  };

  const download = (d: Download) => async (req: Request, res: Response) => {
    const { selection, report, filters } = await selectionOf(req);
    const { bom } = parseInput(ExportOptions, req.query);
    if (selection.scope === 'all' && !d.allowsAll) throw new ValidationError({ scope: 'Only the JSON export can include claims in every state. Choose verified or all decided claims.' });
    const now = new Date();
    const actor: Actor = req.user!;
    // The type as written in DOWNLOADS: res.attachment() would set it again from the extension, without the charset.
    res.status(200).type(d.contentType);
    const named = report ? report.title : selectionName(selection.scope, filtersToQuery(filters ?? {}));
    res.setHeader('Content-Disposition', contentDisposition(named, now, d.ext));
    res.setHeader('Cache-Control', 'no-store');
    if (d.format === 'claimreview' && !config.publicReviewUrl) {
      req.log.warn({ event: 'claimreview_private_urls' }, 'ClaimReview export: PUBLIC_REVIEW_URL is not set, so each review points to its claim page on the desk, which only the desk can open');
    }
    const meta = { exportedAt: now.toISOString(), exportedBy: actor.displayName, scope: selection.scope, report: report ? { id: report.id, title: report.title, url: report.url } : null };
    await streamExport({
      db,
      actor,
      res,
      logger: req.log,
      entry: { format: d.format, reportId: report?.id ?? null, scope: scopeRecord(selection) },
      query: (trx) => sheetQuery(trx, selection, actor),
      write: (rows, sent) => d.write(res, rows, sent, { baseUrl: config.baseUrl, bom, config, meta }),
    });
  };

  router.get('/reports/:id/sheet', allow('export.run'), page);
  router.get('/claims/sheet', allow('export.run'), page);
  for (const d of DOWNLOADS) {
    router.get(`/reports/:id/sheet.${d.ext}`, allow('export.run'), download(d));
    router.get(`/claims/sheet.${d.ext}`, allow('export.run'), download(d));
  }
  return router;
}

/** Renders a view to a string, so the page is logged only once it has been sent. */
function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? ''))));
}

function scopeRecord(selection: SheetSelection): Record<string, unknown> {
  return { scope: selection.scope, ...(selection.filters ? { filters: Object.fromEntries(filtersToQuery(selection.filters)) } : {}) };
}

function describeFilters(f: ClaimFilterValues): string {
  const parts = [...filtersToQuery(f).entries()].map(([k, v]) => `${k}: ${v}`);
  return parts.length ? parts.join(', ') : 'all claims';
}
