import type { DumpSummary, RestoreSummary } from './format.ts';

/** A size as people read it: 812 B, 4.2 kB, 31.0 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** The one line the backup command ends with. */
export function describeDump(summary: DumpSummary, where: string, seconds: number): string {
  return `Backed up ${plural(summary.tables, 'table')}, ${plural(summary.rows, 'row')} to ${where}: ${formatBytes(summary.bytes)} in ${seconds.toFixed(1)} s.`;
}

/** The one line the restore command ends with. */
export function describeRestore(summary: RestoreSummary, where: string, seconds: number): string {
  const after = summary.migratedAfter.length > 0 ? `, then applied ${plural(summary.migratedAfter.length, 'newer migration')}` : '';
  return (
    `Restored ${plural(summary.tables, 'table')}, ${plural(summary.rows, 'row')} from ${where} ` +
    `(${formatBytes(summary.bytes)}, made ${summary.createdAt} on ${summary.source}) in ${seconds.toFixed(1)} s${after}.`
  );
}
