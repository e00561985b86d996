/** Formatting helpers every view may call (registered as app.locals). */

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short',
});
const NUMBER = new Intl.NumberFormat('en-GB');

/** "21 Nov 2025" from a Date or a YYYY-MM-DD string; empty for nothing. */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value) : value;
  return Number.isNaN(d.getTime()) ? '' : DATE.format(d);
}

/** "21 Nov 2025, 14:05 UTC". */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? '' : DATE_TIME.format(d);
}

/** The machine-readable form for <time datetime>. */
export function isoDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** "3 h", "2 days": how long ago, for queue ages. */
export function formatAge(value: Date | string | null | undefined, now: Date = new Date()): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  const minutes = Math.max(0, Math.floor((now.getTime() - d.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day' : `${days} days`;
}

export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

/** "1 claim", "3 claims". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

export const viewHelpers = { formatDate, formatDateTime, isoDateTime, formatAge, formatNumber, plural };
