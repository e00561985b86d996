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
    .slice(0, 60)
    .replace(/-+$/, '');
  return `factdesk-${slug || 'claims'}-${date.toISOString().slice(0, 10)}.${extension}`;
}
