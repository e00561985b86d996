import type { EventEmitter } from 'node:events';
import type { Response } from 'express';
import type ExcelJS from 'exceljs';
import { CLAIM_COLUMNS, CUT_NOTES, EVIDENCE_COLUMNS, evidenceRowsOf, typedCellsOf, type Column } from './columns.ts';
import { firstOf, gone, type RowSource } from './writers.ts';

// exceljs's streaming writer takes rows without back-pressure: a committed
// row's XML goes into the worksheet's buffer, from there into a pass-through
// queue in front of the compressor, then into the zip's output queue and the
// response. Only the last two wait for a slow client; the first two grow as
// fast as the database gives rows. So the writer measures what is queued at
// every stage and waits while it is more than a little.
interface StreamState {
  length: number;
}
interface Queue extends EventEmitter {
  _writableState?: StreamState;
  _readableState?: StreamState;
}
/** The parts of a worksheet writer and of the workbook's zip that hold bytes (not in exceljs's typings). */
interface SheetInternals {
  stream: { buffers: { length: number }[]; pipes: Queue[] };
}
interface WorkbookInternals {
  zip: Queue;
}

const queued = (q: Queue) => (q._writableState?.length ?? 0) + (q._readableState?.length ?? 0);

/** Bytes the rows have produced that have not reached the response's socket yet. */
function backlog(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExcelJS.Worksheet, res: Response): number {
  const stream = (sheet as unknown as SheetInternals).stream;
  const inSheet = stream.buffers.reduce((n, b) => n + b.length, 0) + stream.pipes.reduce((n, p) => n + queued(p), 0);
  return inSheet + queued((workbook as unknown as WorkbookInternals).zip) + res.writableLength;
}

/**
 * At most this much waits between the rows and the socket (uncompressed XML
 * and compressed zip together). More than the 64 KB a worksheet fills before
 * it passes anything on, or the writer would wait for itself.
 */
const MAX_BACKLOG = 256 * 1024;

/** Waits until the stages after the rows have caught up, or the client has gone. */
async function keepUp(res: Response, workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExcelJS.Worksheet): Promise<void> {
  while (!gone(res) && backlog(workbook, sheet, res) > MAX_BACKLOG) {
    // Whichever moves first: the compressor takes from the sheet's queue, the socket takes
    // from the response, or a few milliseconds pass (the zip's own queue has no event to wait for).
    const queue = (sheet as unknown as SheetInternals).stream.pipes[0];
    await firstOf(res, [...(queue ? [[queue, 'drain'] as [EventEmitter, string]] : []), [res, 'drain']], 5);
  }
}

/** Column letters for a range: 1 -> A, 27 -> AA. */
function columnLetter(n: number): string {
  let letters = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) letters = String.fromCharCode(65 + ((k - 1) % 26)) + letters;
  return letters;
}

/** How a column's cells look: dates as dates, text of several lines wrapped, everything at the top of its row. */
function columnStyle<R>(c: Column<R>): Partial<ExcelJS.Style> {
  return {
    alignment: { vertical: 'top', ...(c.lines ? { wrapText: true } : {}) },
    ...(c.typed?.kind === 'date' ? { numFmt: 'yyyy-mm-dd' } : {}),
  };
}

/**
 * XLSX with two sheets, Claims and Evidence, streamed: numbers and dates as
 * such, text exactly as typed (no formula or hyperlink objects from user
 * text), a bold, frozen header row with filter buttons, wrapped multi-line
 * text and sensible column widths. The evidence sheet reads the rows a second
 * time, because the zip holds one sheet after the other.
 */
export async function writeXlsx(res: Response, rows: RowSource, sent: number[], options: { baseUrl: string }): Promise<void> {
  // The zip's output queue small (archiver's default is 1 MB). Compression stays at the zip
  // library's default, zlib's fastest level: level 6 made the file a fifth smaller for more CPU time.
  const zip: Partial<ExcelJS.stream.xlsx.ArchiverZipOptions> & { highWaterMark: number } = { highWaterMark: 64 * 1024 };
  // No shared strings: their table would hold every distinct text until the end. The
  // styles are a handful, one per column and the header's, set once on the columns.
  // Loaded on the first Excel download, not at start-up (a second of loading).
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false, zip });
  workbook.creator = 'Factdesk';
  const sheetOf = <R>(name: string, columns: Column<R>[]) => {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
    sheet.autoFilter = `A1:${columnLetter(columns.length)}1`;
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'top', wrapText: true };
    header.commit();
    return sheet;
  };
  // Each cell is given its column's one style object: exceljs knows an object it has
  // seen (a WeakMap), where a style of the cell's own would be worked out again for
  // every cell (a column's style set on the column is copied into each of its cells).
  const addRow = <R>(sheet: ExcelJS.Worksheet, columns: Column<R>[], styles: Partial<ExcelJS.Style>[], row: R) => {
    const added = sheet.addRow(typedCellsOf(columns, row, options.baseUrl, CUT_NOTES.xlsx));
    styles.forEach((style, i) => {
      added.getCell(i + 1).style = style;
    });
    added.commit();
  };
  const claimStyles = CLAIM_COLUMNS.map(columnStyle);
  const evidenceStyles = EVIDENCE_COLUMNS.map(columnStyle);
  const claims = sheetOf('Claims', CLAIM_COLUMNS);
  for await (const row of rows()) {
    if (gone(res)) break;
    addRow(claims, CLAIM_COLUMNS, claimStyles, row);
    sent.push(row.id);
    await keepUp(res, workbook, claims);
  }
  claims.commit();
  if (gone(res)) return;
  const evidence = sheetOf('Evidence', EVIDENCE_COLUMNS);
  for await (const row of rows()) {
    if (gone(res)) break;
    for (const e of evidenceRowsOf(row)) addRow(evidence, EVIDENCE_COLUMNS, evidenceStyles, e);
    await keepUp(res, workbook, evidence);
  }
  evidence.commit();
  if (gone(res)) return;
  // The workbook resolves once the response has finished; a client that leaves during the last part ends the wait too.
  await Promise.race([workbook.commit(), firstOf(res, [])]);
}
