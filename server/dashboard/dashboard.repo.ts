import type { Db } from '../platform/database.ts';
import type { DecidedStatus } from '../claims/statuses.ts';

/** Decisions per day (UTC) over the last `days` days, by verdict, oldest day first, every day present. */
export async function decisionsPerDay(db: Db, days = 14): Promise<{ day: string; counts: Record<DecidedStatus, number> }[]> {
  const rows = (await db('claim_events')
    .select(db.raw(`to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day`), 'to_status')
    .count('* as n')
    .where('type', 'transition')
    .whereIn('to_status', ['verified', 'refuted', 'unverifiable'])
    // Midnight UTC of the first day, as a timestamptz: independent of the session's time zone.
    .where('created_at', '>=', db.raw(`((now() AT TIME ZONE 'UTC')::date - ?::int + 1)::timestamp AT TIME ZONE 'UTC'`, [days]))
    .groupBy('day', 'to_status')) as { day: string; to_status: DecidedStatus; n: number }[];
  const result: { day: string; counts: Record<DecidedStatus, number> }[] = [];
  const today = new Date();
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i)).toISOString().slice(0, 10);
    result.push({ day: d, counts: { verified: 0, refuted: 0, unverifiable: 0 } });
  }
  for (const r of rows) {
    const entry = result.find((e) => e.day === r.day);
    if (entry) entry.counts[r.to_status] = Number(r.n);
  }
  return result;
}
