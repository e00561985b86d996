import { RELIABILITY_LABELS, type Reliability } from './ratings.ts';
import { normaliseSourceUrl } from './source-urls.ts';
import { SOURCE_KIND_LABELS, type Source, type SourceKind } from './sources.repo.ts';

/** One field of a stale source form: what is saved now and what the person typed, in words. */
export interface VersionDifference {
  field: string;
  label: string;
  saved: string;
  yours: string;
}

const FIELDS: { field: keyof Source & string; label: string; show?: (v: string) => string; same?: (v: string) => string }[] = [
  { field: 'title', label: 'Title' },
  { field: 'url', label: 'URL', same: (v) => normalisedOr(v) },
  { field: 'kind', label: 'Kind', show: (v) => SOURCE_KIND_LABELS[v as SourceKind] ?? v },
  { field: 'publisher', label: 'Publisher' },
  { field: 'author', label: 'Author' },
  { field: 'publishedOn', label: 'Published' },
  { field: 'accessedOn', label: 'Accessed' },
  { field: 'archiveUrl', label: 'Archive URL' },
  { field: 'reliability', label: 'Reliability', show: (v) => RELIABILITY_LABELS[v as Reliability]?.label ?? v },
  { field: 'notes', label: 'Notes' },
];

function normalisedOr(value: string): string {
  const normal = value ? normaliseSourceUrl(value) : '';
  return typeof normal === 'string' ? normal : value;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : typeof v === 'number' ? String(v) : '');

/**
 * The fields where the saved source and a stale form's unsaved values differ,
 * for the 409 page that shows both versions side by side.
 */
export function differencesFromSaved(saved: Source, yours: Record<string, unknown>): VersionDifference[] {
  const out: VersionDifference[] = [];
  for (const { field, label, show = (v: string) => v, same = (v: string) => v } of FIELDS) {
    const s = text(saved[field]);
    const y = text(yours[field]);
    if (same(s) === same(y)) continue;
    out.push({ field, label, saved: s ? show(s) : '(none)', yours: y ? show(y) : '(none)' });
  }
  return out;
}
