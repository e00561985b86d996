import type { EvidenceRow } from './evidence.repo.ts';
import { CREDIBILITY_LABELS, RELATION_LABELS, RELIABILITY_LABELS, type Credibility, type Relation, type Reliability } from './ratings.ts';
import { cleanSourceUrl } from './source-urls.ts';
import { SOURCE_KIND_LABELS, type Source, type SourceKind } from './sources.repo.ts';

/** One field of a stale source form: what is saved now and what the person typed, in words. */
export interface VersionDifference {
  field: string;
  label: string;
  saved: string;
  yours: string;
}

/** A field a stale form compares: its label, how its value reads, and when two values are the same. */
interface ComparedField<T> {
  field: keyof T & string;
  label: string;
  show?: (v: string) => string;
  same?: (v: string) => string;
}

const SOURCE_FIELDS: ComparedField<Source>[] = [
  { field: 'title', label: 'Title' },
  { field: 'url', label: 'URL', same: (v) => cleanedOr(v) },
  { field: 'kind', label: 'Kind', show: (v) => SOURCE_KIND_LABELS[v as SourceKind] ?? v },
  { field: 'publisher', label: 'Publisher' },
  { field: 'outlet', label: 'Outlet' },
  { field: 'author', label: 'Author' },
  { field: 'publishedOn', label: 'Published' },
  { field: 'accessedOn', label: 'Accessed' },
  { field: 'archiveUrl', label: 'Archive URL' },
  { field: 'reliability', label: 'Reliability', show: (v) => RELIABILITY_LABELS[v as Reliability]?.label ?? v },
  { field: 'notes', label: 'Notes' },
];

// In the order of the evidence form.
const EVIDENCE_FIELDS: ComparedField<EvidenceRow>[] = [
  { field: 'relation', label: 'How it bears on the claim', show: (v) => RELATION_LABELS[v as Relation]?.label ?? v },
  { field: 'excerpt', label: 'Excerpt' },
  { field: 'locator', label: 'Where in the source' },
  { field: 'credibility', label: 'Credibility', show: (v) => CREDIBILITY_LABELS[Number(v) as Credibility]?.label ?? v },
  { field: 'note', label: 'Note' },
];

function cleanedOr(value: string): string {
  const normal = value ? cleanSourceUrl(value) : '';
  return typeof normal === 'string' ? normal : value;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : typeof v === 'number' ? String(v) : '');

function differences<T extends object>(fields: ComparedField<T>[], saved: T, yours: Record<string, unknown>): VersionDifference[] {
  const out: VersionDifference[] = [];
  for (const { field, label, show = (v: string) => v, same = (v: string) => v } of fields) {
    const s = text(saved[field]);
    const y = text(yours[field]);
    if (same(s) === same(y)) continue;
    out.push({ field, label, saved: s ? show(s) : '(none)', yours: y ? show(y) : '(none)' });
  }
  return out;
}

/**
 * The fields where the saved source and a stale form's unsaved values differ,
 * for the 409 page that shows both versions side by side.
 */
export function differencesFromSaved(saved: Source, yours: Record<string, unknown>): VersionDifference[] {
  return differences(SOURCE_FIELDS, saved, yours);
}

/** The fields where a saved evidence link and a stale evidence form differ, for its 409 page. */
export function evidenceDifferencesFromSaved(saved: EvidenceRow, yours: Record<string, unknown>): VersionDifference[] {
  return differences(EVIDENCE_FIELDS, saved, yours);
}
