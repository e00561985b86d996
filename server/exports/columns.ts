import { CONFIDENCE_LABELS, KIND_LABELS, type Confidence, type Kind } from '../claims/fields.ts';
import { STATUS_LABELS } from '../claims/statuses.ts';
import { neutraliseCell } from './neutralise.ts';
import type { SheetEvidence, SheetRow } from './sheet.repo.ts';

/** A column of the CSV and XLSX sheets: its header, width in characters, and value. */
export interface Column<R> {
  header: string;
  width: number;
  /** The value as text (CSV, and XLSX unless `typed` says otherwise). */
  value: (row: R, baseUrl: string) => string;
  /** The value as a spreadsheet holds it, a number or a date (null: an empty cell); text columns leave it out. */
  typed?: { kind: 'number' | 'date'; value: (row: R) => number | Date | null };
  /** Text that runs over several lines (one source per line): wrapped in XLSX. */
  lines?: boolean;
}

const date = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');
/** The calendar day (UTC) of a moment, as midnight UTC: a spreadsheet date with no time of day to shift. */
const dayDate = (day: string | null) => (day ? new Date(`${day}T00:00:00Z`) : null);
const dayOnly = (d: Date | null) => (d ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())) : null);

/** "from AP: plan drafted" when a source repeats others, the origins of its trail. */
export function originOf(e: SheetEvidence): string {
  return e.origins.map((o) => o.title).join('; ');
}

/** "Title (Publisher), URL, B2: “excerpt” (origin: …)" for each source, one per line. */
export function sourcesCell(evidence: SheetEvidence[], relation: SheetEvidence['relation']): string {
  return evidence
    .filter((e) => e.relation === relation)
    .map((e) => {
      const who = e.publisher ? `${e.title} (${e.publisher})` : e.title;
      const where = e.url ? `, ${e.url}` : '';
      const excerpt = e.excerpt ? `: “${e.excerpt}”` : '';
      const origin = e.origins.length ? ` (origin: ${originOf(e)})` : '';
      return `${who}${where}, ${e.reliability}${e.credibility}${excerpt}${origin}`;
    })
    .join('\n');
}

/** The claim sheet's columns, shared by CSV and XLSX. */
export const CLAIM_COLUMNS: Column<SheetRow>[] = [
  { header: 'Claim ID', width: 9, value: (r) => String(r.id), typed: { kind: 'number', value: (r) => r.id } },
  { header: 'Claim URL', width: 30, value: (r, base) => `${base}/claims/${r.id}` },
  { header: 'Report', width: 36, value: (r) => r.report_title },
  { header: 'Report URL', width: 30, value: (r) => r.report_url ?? '' },
  { header: 'Statement', width: 50, value: (r) => r.statement, lines: true },
  { header: 'Quote', width: 50, value: (r) => r.quote, lines: true },
  { header: 'Claimant', width: 22, value: (r) => r.claimant ?? '' },
  { header: 'Kind', width: 20, value: (r) => KIND_LABELS[r.kind as Kind]?.label ?? r.kind },
  { header: 'Status', width: 14, value: (r) => STATUS_LABELS[r.status] },
  { header: 'Verdict', width: 16, value: (r) => r.verdict ?? '' },
  { header: 'Same claim as', width: 14, value: (r) => r.repeats.map((id) => `#${id}`).join(', ') },
  { header: 'Confidence', width: 12, value: (r) => (r.confidence ? CONFIDENCE_LABELS[r.confidence as Confidence].label : '') },
  { header: 'Origin', width: 40, value: (r) => sourcesCell(r.evidence, 'origin'), lines: true },
  { header: 'Supporting sources', width: 60, value: (r) => sourcesCell(r.evidence, 'supports'), lines: true },
  { header: 'Contradicting sources', width: 60, value: (r) => sourcesCell(r.evidence, 'contradicts'), lines: true },
  { header: 'Reviewer', width: 20, value: (r) => r.reviewer ?? '' },
  { header: 'Decided', width: 12, value: (r) => date(r.decided_at), typed: { kind: 'date', value: (r) => dayOnly(r.decided_at) } },
  { header: 'True as of', width: 12, value: (r) => r.true_as_of ?? '', typed: { kind: 'date', value: (r) => dayDate(r.true_as_of) } },
  { header: 'Check again by', width: 14, value: (r) => r.recheck_by ?? '', typed: { kind: 'date', value: (r) => dayDate(r.recheck_by) } },
  { header: 'Rationale', width: 50, value: (r) => r.rationale ?? '', lines: true },
  { header: 'Tags', width: 20, value: (r) => r.tags.join(', ') },
];

/** An evidence row: one source's bearing on one claim, keyed by claim id. */
export type EvidenceRow = SheetEvidence & { claimId: number };

export const EVIDENCE_COLUMNS: Column<EvidenceRow>[] = [
  { header: 'Claim ID', width: 9, value: (e) => String(e.claimId), typed: { kind: 'number', value: (e) => e.claimId } },
  { header: 'Relation', width: 12, value: (e) => e.relation },
  { header: 'Source', width: 40, value: (e) => e.title },
  { header: 'Publisher', width: 24, value: (e) => e.publisher ?? '' },
  { header: 'URL', width: 40, value: (e) => e.url ?? '' },
  { header: 'Reliability', width: 11, value: (e) => e.reliability },
  { header: 'Credibility', width: 11, value: (e) => String(e.credibility), typed: { kind: 'number', value: (e) => e.credibility } },
  { header: 'Excerpt', width: 60, value: (e) => e.excerpt ?? '', lines: true },
  { header: 'Locator', width: 16, value: (e) => e.locator ?? '' },
  { header: 'Origin', width: 40, value: (e) => originOf(e) },
];

/** The most characters a spreadsheet cell holds: Excel's limit; longer text is cut or split by Excel and LibreOffice. */
export const MAX_CELL_LENGTH = 32_767;

/** What a cut cell ends with, per file: where the full text of every source still is. */
export const CUT_NOTES = {
  xlsx: '… (cut: see the Evidence sheet)',
  csv: '… (cut: see the Evidence CSV)',
} as const;

/**
 * A cell that fits a spreadsheet: text longer than Excel's limit is cut, at
 * the last whole line (one source per line) where there is one, and ends with
 * the note saying so. The one place the limit is applied; CSV and XLSX both call it.
 */
export function fitCell(value: string, note: string): string {
  if (value.length <= MAX_CELL_LENGTH) return value;
  const budget = MAX_CELL_LENGTH - note.length - 1;
  let kept = value.slice(0, budget);
  const lastLine = kept.lastIndexOf('\n');
  if (lastLine > budget / 2) kept = kept.slice(0, lastLine);
  // Never leave half of a surrogate pair (an emoji, a rare CJK character) at the cut.
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}\n${note}`;
}

/** A row's cells as plain strings (CSV), each neutralised against formula injection and cut to fit a cell. */
export function cellsOf<R>(columns: Column<R>[], row: R, baseUrl: string, cutNote: string): string[] {
  return columns.map((c) => fitCell(neutraliseCell(c.value(row, baseUrl)), cutNote));
}

/**
 * A row's cells for XLSX: numbers and dates as such, text exactly as typed
 * and cut to fit. An XLSX text cell is never read as a formula (a formula is
 * a cell of its own kind, which no user text becomes), so it needs no
 * apostrophe: the reader sees "-5% growth" as it was written.
 */
export function typedCellsOf<R>(columns: Column<R>[], row: R, baseUrl: string, cutNote: string): (string | number | Date | null)[] {
  return columns.map((c) => (c.typed ? c.typed.value(row) : fitCell(c.value(row, baseUrl), cutNote)));
}

/**
 * The evidence rows of a claim, for the evidence file or sheet: the claim's
 * own evidence objects, each given the claim's id. Not copies: an export
 * makes one per link (200,000 for 100,000 claims), and the copies (object
 * spread) came out as some 50 MB of old-generation garbage per export, most
 * of what grew the process during a large XLSX.
 */
export function evidenceRowsOf(row: SheetRow): EvidenceRow[] {
  for (const e of row.evidence) (e as EvidenceRow).claimId = row.id;
  return row.evidence as EvidenceRow[];
}
