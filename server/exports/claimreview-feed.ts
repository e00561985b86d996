import type { Db } from '../platform/database.ts';
import { decodeCursor, encodeCursor } from '../platform/pagination.ts';
import { toClaimReview, type ClaimReviewOptions } from './claimreview.ts';
import { sheetQuery, type SheetRow } from './sheet.repo.ts';

/** One read of the ClaimReview feed. */
export interface FeedPage {
  reviews: NonNullable<ReturnType<typeof toClaimReview>>[];
  /** Pass as `since` to get only what is decided after this read. */
  since: string | null;
  /** More decisions follow the ones returned (read again with `since`). */
  more: boolean;
}

/**
 * Decided claims as ClaimReview, the same JSON-LD as the export. Without a
 * cursor: the newest decisions first, and a cursor for the newest. With one:
 * the decisions made after it, oldest first, so that a consumer polling with
 * the cursor it was given misses none and sees each once (a claim reopened
 * and decided again comes again, with its new verdict). `since=start` reads
 * every decision from the first.
 */
export async function claimReviewFeed(db: Db, props: { since: string | null; limit: number }, options: ClaimReviewOptions): Promise<FeedPage> {
  // "start": every decision from the first, oldest first (a consumer's first full read).
  const cursor = props.since === 'start' ? (['1970-01-01T00:00:00Z', 0] as [string, number]) : decodeCursor(props.since, ['timestamp', 'int']);
  const q = sheetQuery(db, { scope: 'decided', filters: null, reportId: null }, null)
    .clearOrder()
    .select(db.raw(`to_char(c.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`))
    .whereNotNull('c.decided_at');
  if (cursor) q.whereRaw('(c.decided_at, c.id) > (?::timestamptz, ?)', cursor).orderBy([{ column: 'c.decided_at' }, { column: 'c.id' }]);
  else q.orderBy([{ column: 'c.decided_at', order: 'desc' }, { column: 'c.id', order: 'desc' }]);
  const rows = (await q.limit(props.limit + 1)) as (SheetRow & { cursor_at: string })[];
  const page = rows.slice(0, props.limit);
  const newest = cursor ? page.at(-1) : page[0];
  return {
    reviews: page.map((row) => toClaimReview(row, options)).filter((r) => r !== null),
    since: newest ? encodeCursor([newest.cursor_at, newest.id]) : (props.since && cursor ? props.since : null),
    more: cursor ? rows.length > props.limit : false,
  };
}
