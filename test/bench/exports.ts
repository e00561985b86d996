// Scenario 7: the CSV and XLSX export of every verified claim with its
// evidence, against COPY of the same query. Kept apart from the read
// scenarios: it reaches into server/exports, which is younger than the rest.
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { ClaimFilters } from '../../server/claims/claim-filters.ts';
import type { Actor } from '../../server/platform/policies.ts';
import { download, type DownloadResult } from './measure.ts';

/** What server/exports/sheet.repo.ts offers (looked up at run time, so the bench still runs if it moves). */
interface SheetQueryModule {
  sheetQuery(db: Knex, selection: { scope: 'verified'; filters: unknown; reportId: null }, actor: Actor): Knex.QueryBuilder;
}

/** The export routes of scenario 7. */
export const EXPORT_PATHS = { csv: '/claims/sheet.csv?status=verified', xlsx: '/claims/sheet.xlsx?status=verified' } as const;

/**
 * The SQL Factdesk's export runs for GET /claims/sheet.csv?status=verified:
 * parameterised (for EXPLAIN) and with its values written in (for COPY),
 * or the reason it is not available.
 */
export async function exportQuery(db: Knex, actor: Actor): Promise<{ sql: string; bindings: unknown[]; inlined: string } | { missing: string }> {
  let mod: Partial<SheetQueryModule>;
  try {
    mod = (await import(new URL('../../server/exports/sheet.repo.ts', import.meta.url).href)) as Partial<SheetQueryModule>;
  } catch (err) {
    return { missing: `server/exports/sheet.repo.ts could not be loaded (${(err as Error).message})` };
  }
  if (typeof mod.sheetQuery !== 'function') return { missing: 'server/exports/sheet.repo.ts exports no sheetQuery()' };
  const filters = ClaimFilters.parse({ status: 'verified' });
  const q = mod.sheetQuery(db, { scope: 'verified', filters, reportId: null }, actor);
  const native = q.toSQL().toNative();
  return { sql: native.sql, bindings: [...native.bindings], inlined: q.toString() };
}

export interface ExportResult {
  csv: DownloadResult;
  xlsx: DownloadResult & { sheets: Record<string, number> };
}

/** Downloads the CSV and the XLSX export from Factdesk, sampling its memory. */
export async function runExports(base: string, headers: Record<string, string>, pid: number): Promise<ExportResult> {
  const csv = await download(`${base}${EXPORT_PATHS.csv}`, headers, { pid, csv: true });
  const xlsxRaw = await download(`${base}${EXPORT_PATHS.xlsx}`, headers, { pid, csv: false, keepBody: true });
  const sheets: Record<string, number> = {};
  if (xlsxRaw.status === 200 && xlsxRaw.body) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxRaw.body as unknown as ArrayBuffer);
    workbook.eachSheet((sheet) => (sheets[sheet.name] = Math.max(0, sheet.actualRowCount - 1)));
  }
  const { body: _body, ...xlsx } = xlsxRaw;
  const rows = Object.values(sheets)[0] ?? null;
  return { csv, xlsx: { ...xlsx, rows, rowsPerSecond: rows === null ? null : Math.round(rows / (xlsx.totalMs / 1000)), sheets } };
}
