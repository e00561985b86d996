import { once } from 'node:events';
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { CLAIM_COLUMNS, CUT_NOTES, EVIDENCE_COLUMNS, cellsOf, evidenceRowsOf, type Column } from './columns.ts';
import { toClaimReview, type Publisher } from './claimreview.ts';
import type { SheetRow } from './sheet-query.ts';

/** Claim rows as they come from the database, a few at a time. */
export type RowSource = () => AsyncIterable<SheetRow>;

/** Writes a chunk, waiting when the client reads slower than the database gives: memory stays flat. */
async function write(res: Response, chunk: string | Buffer): Promise<void> {
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}

/** Stops reading rows once the client has gone. */
const gone = (res: Response) => res.destroyed || res.writableEnded;

/**
 * CSV (RFC 4180: quoted as needed, CRLF line ends, UTF-8, optional BOM for
 * Excel). `evidence` writes one row per evidence link, keyed by claim id.
 */
export async function writeCsv(res: Response, rows: RowSource, options: { baseUrl: string; bom: boolean; evidence: boolean }): Promise<number[]> {
  const ids: number[] = [];
  const line = <R>(columns: Column<R>[], row: R) => stringify([cellsOf(columns, row, options.baseUrl, CUT_NOTES.csv)], { record_delimiter: 'windows' });
  if (options.bom) await write(res, '\ufeff');
  const columns = options.evidence ? EVIDENCE_COLUMNS : CLAIM_COLUMNS;
  await write(res, stringify([columns.map((c) => c.header)], { record_delimiter: 'windows' }));
  for await (const row of rows()) {
    if (gone(res)) break;
    ids.push(row.id);
    if (options.evidence) {
      for (const e of evidenceRowsOf(row)) await write(res, line(EVIDENCE_COLUMNS, e));
    } else {
      await write(res, line(CLAIM_COLUMNS, row));
    }
  }
  res.end();
  return ids;
}

/** The worksheet's buffers and the streams it writes to, as exceljs keeps them (not in its typings). */
interface SheetStreamInternals {
  // The pipes are readable-stream v2 streams, which only count their queue in _writableState.
  stream: { buffers: { length: number }[]; pipes: { writableLength?: number; _writableState?: { length: number } }[] };
}

/**
 * Bytes a worksheet has produced that are not yet compressed. exceljs writes
 * rows into the zip without backpressure, so a fast database would pile the
 * whole sheet up in memory; the writer waits while this is large.
 */
function pendingBytes(sheet: ExcelJS.Worksheet): number {
  const stream = (sheet as unknown as SheetStreamInternals).stream;
  const buffered = stream.buffers.reduce((n, b) => n + b.length, 0);
  return buffered + stream.pipes.reduce((n, p) => n + (p.writableLength ?? p._writableState?.length ?? 0), 0);
}

const MAX_PENDING_BYTES = 1024 * 1024;

async function keepUp(res: Response, sheet: ExcelJS.Worksheet): Promise<void> {
  while (!gone(res) && pendingBytes(sheet) > MAX_PENDING_BYTES) await new Promise((resolve) => setTimeout(resolve, 2));
  if (res.writableNeedDrain) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}

/**
 * XLSX with two sheets, Claims and Evidence, streamed: plain string cells only
 * (no formula or hyperlink objects from user text), a bold frozen header row
 * and sensible column widths. The evidence sheet reads the rows a second time,
 * because the zip holds one sheet after the other.
 */
export async function writeXlsx(res: Response, rows: RowSource, options: { baseUrl: string }): Promise<number[]> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Factdesk';
  const ids: number[] = [];
  const sheetOf = <R>(name: string, columns: Column<R>[]) => {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    return sheet;
  };
  const claims = sheetOf('Claims', CLAIM_COLUMNS);
  for await (const row of rows()) {
    if (gone(res)) break;
    ids.push(row.id);
    claims.addRow(cellsOf(CLAIM_COLUMNS, row, options.baseUrl, CUT_NOTES.xlsx)).commit();
    if (ids.length % 50 === 0) await keepUp(res, claims);
  }
  claims.commit();
  const evidence = sheetOf('Evidence', EVIDENCE_COLUMNS);
  if (!gone(res)) {
    for await (const row of rows()) {
      if (gone(res)) break;
      for (const e of evidenceRowsOf(row)) evidence.addRow(cellsOf(EVIDENCE_COLUMNS, e, options.baseUrl, CUT_NOTES.xlsx)).commit();
      if (row.id % 50 === 0) await keepUp(res, evidence);
    }
  }
  evidence.commit();
  await workbook.commit();
  return ids;
}

/** JSON: the export's metadata and every claim with its evidence, streamed as one document. */
export async function writeJson(res: Response, rows: RowSource, meta: Record<string, unknown>, options: { baseUrl: string }): Promise<number[]> {
  const ids: number[] = [];
  // The metadata object with its claims array left open: `{..."claims":[`.
  const head = JSON.stringify({ ...meta, claims: [] }).slice(0, -2);
  await write(res, `${head}\n`);
  let first = true;
  for await (const row of rows()) {
    if (gone(res)) break;
    ids.push(row.id);
    await write(res, `${first ? '' : ',\n'}${JSON.stringify(claimJson(row, options.baseUrl))}`);
    first = false;
  }
  await write(res, '\n]}\n');
  res.end();
  return ids;
}

/** ClaimReview JSON-LD: one schema.org ClaimReview per decided claim, in an @graph. */
export async function writeClaimReview(res: Response, rows: RowSource, options: { baseUrl: string; publisher: Publisher }): Promise<number[]> {
  const ids: number[] = [];
  await write(res, '{"@context":"https://schema.org","@graph":[\n');
  let first = true;
  for await (const row of rows()) {
    if (gone(res)) break;
    const review = toClaimReview(row, options);
    if (!review) continue;
    ids.push(row.id);
    await write(res, `${first ? '' : ',\n'}${JSON.stringify(review)}`);
    first = false;
  }
  await write(res, '\n]}\n');
  res.end();
  return ids;
}

function claimJson(r: SheetRow, baseUrl: string) {
  return {
    id: r.id,
    url: `${baseUrl}/claims/${r.id}`,
    report: { id: r.report_id, title: r.report_title, url: r.report_url, publishedOn: r.report_published_on },
    statement: r.statement,
    quote: r.quote,
    claimant: r.claimant,
    kind: r.kind,
    status: r.status,
    confidence: r.confidence,
    reviewer: r.reviewer,
    decidedAt: r.decided_at,
    rationale: r.rationale,
    tags: r.tags,
    evidence: r.evidence,
  };
}
