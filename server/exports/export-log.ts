import type { Db } from '../platform/database.ts';
import type { Actor } from '../platform/policies.ts';

export const EXPORT_FORMATS = ['html', 'csv', 'csv_evidence', 'xlsx', 'json', 'claimreview'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Records an export (who, when, format, selection, which claims) so a sheet can be traced. */
export async function logExport(
  db: Db,
  actor: Actor,
  entry: { format: ExportFormat; reportId: number | null; scope: Record<string, unknown>; claimIds: number[] },
): Promise<void> {
  await db('export_log').insert({
    actor_id: actor.id,
    format: entry.format,
    report_id: entry.reportId,
    scope: JSON.stringify(entry.scope),
    claim_ids: entry.claimIds,
    row_count: entry.claimIds.length,
  });
}
