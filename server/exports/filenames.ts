const MAX_SLUG = 60;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * What a filtered export holds, in words, for its file name: "claims
 * verified tag russia" becomes factdesk-claims-verified-tag-russia-DATE.
 * `filters` are the list's filters as its address gives them (the sort order
 * says nothing of what is in the file and is left out).
 */
export function selectionName(scope: string, filters: Iterable<[string, string]>): string {
  const parts = ['claims', scope];
  for (const [key, value] of filters) if (key !== 'sort') parts.push(key, value);
  return parts.join(' ');
}

/**
 * A download's file name from a report title and a date: ASCII letters,
 * digits and dashes only, so no title can smuggle a path, quote or header
 * into Content-Disposition ("factdesk-us-28-point-plan-2026-11-24.csv").
 */
export function exportFileName(title: string | null, date: Date, extension: string): string {
  const slug = (title ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  return `factdesk-${slug || 'claims'}-${dayOf(date)}.${extension}`;
}

/**
 * The same name in the title's own script ("factdesk-отчёт-о-бюджете-2026-11-24.csv"):
 * letters, marks and digits of any language, everything else a dash. Dots,
 * slashes, quotes, line breaks and invisible controls (bidi overrides, zero
 * width joiners) never survive, so the name cannot climb a folder or fake
 * its extension.
 */
export function unicodeExportFileName(title: string | null, date: Date, extension: string): string {
  const words = (title ?? '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  // Cut by code points, not UTF-16 units, so no character is split in two.
  const slug = Array.from(words).slice(0, MAX_SLUG).join('').replace(/-+$/, '');
  return `factdesk-${slug || 'claims'}-${dayOf(date)}.${extension}`;
}

/** RFC 8187 (formerly 5987) value characters: everything else is percent-encoded UTF-8. */
const encodeExtValue = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Content-Disposition for a download (RFC 6266): an ASCII `filename=` every
 * client reads and, when the title has letters ASCII cannot spell, a
 * `filename*=UTF-8''…` that browsers prefer, so a Cyrillic or accented
 * title keeps its name.
 */
export function contentDisposition(title: string | null, date: Date, extension: string): string {
  const ascii = exportFileName(title, date, extension);
  const unicode = unicodeExportFileName(title, date, extension);
  const header = `attachment; filename="${ascii}"`;
  return unicode === ascii ? header : `${header}; filename*=UTF-8''${encodeExtValue(unicode)}`;
}
