import type { Db } from '../platform/database.ts';
import type { Actor } from '../platform/policies.ts';

export const EXPORT_FORMATS = ['html', 'csv', 'csv_evidence', 'xlsx', 'json', 'claimreview'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One export as the log keeps it: what was asked for, which claims went out, and whether all of it arrived. */
export interface ExportEntry {
  format: ExportFormat;
  reportId: number | null;
  scope: Record<string, unknown>;
  claimIds: number[];
  completed: boolean;
}

/** Records an export (who, when, format, selection, which claims, whether it completed) so a sheet can be traced. */
export async function logExport(db: Db, actor: Actor, entry: ExportEntry): Promise<void> {
  await db('export_log').insert({
    actor_id: actor.id,
    format: entry.format,
    report_id: entry.reportId,
    scope: JSON.stringify(entry.scope),
    claim_ids: entry.claimIds,
    row_count: entry.claimIds.length,
    completed: entry.completed,
  });
}
