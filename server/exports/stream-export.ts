import { finished } from 'node:stream';
import type { Response } from 'express';
import type { Knex } from 'knex';
import type { Db } from '../platform/database.ts';
import type { Logger } from '../platform/logging.ts';
import type { Actor } from '../platform/policies.ts';
import { endWhenStalled } from '../platform/stall-watch.ts';
import { streamRows } from '../platform/streaming.ts';
import { logExport, type ExportEntry } from './export-log.repo.ts';
import { readSnapshot, type SheetRow } from './sheet.repo.ts';
import type { RowSource } from './writers.ts';

/**
 * Rows fetched per round trip. Small on purpose: a batch stays in memory
 * while it is written out, and rows that live that long end up in V8's old
 * generation, which only a full collection empties. With batches of 200
 * rows, an XLSX of 100,000 claims (slow to write, so its rows live long)
 * grew the process about three times as much as with 50.
 */
const BATCH_ROWS = 50;

/** A download whose client reads nothing for this long is ended, freeing its database connection. */
export const EXPORT_STALL_MS = 60_000;

/** Resolves once the response is over: true when all of it was handed to the network, false when the client went away first. */
export function responseOutcome(res: Response): Promise<boolean> {
  return new Promise((resolve) => finished(res, (err) => resolve(!err)));
}

/** Records an export once its response is over. The person has their file (or not) by then: a failure to record is logged, never thrown. */
export async function recordExport(db: Db, logger: Logger, actor: Actor, entry: ExportEntry): Promise<void> {
  try {
    await logExport(db, actor, entry);
  } catch (err) {
    logger.error({ err, event: 'export_log_failed', actorId: actor.id, format: entry.format, rows: entry.claimIds.length, completed: entry.completed }, 'an export could not be recorded in the export log');
  }
}

export interface StreamExportProps {
  db: Db;
  actor: Actor;
  res: Response;
  logger: Logger;
  entry: Omit<ExportEntry, 'claimIds' | 'completed'>;
  /** The export's query, built on the snapshot's transaction. */
  query: (trx: Knex.Transaction) => Knex.QueryBuilder;
  /** Writes the file from the rows, adding each claim it writes to `sent`. */
  write: (rows: RowSource, sent: number[]) => Promise<void>;
  /** How long the client may read nothing before the download is ended (EXPORT_STALL_MS). */
  stallMs?: number;
}

/**
 * Streams a download from one snapshot of the database, then logs what was
 * really sent: the claims written before the response ended, and whether the
 * client received all of it (a download broken off half-way is logged as
 * not completed, with the claims it got that far).
 */
export async function streamExport(p: StreamExportProps): Promise<void> {
  const sent: number[] = [];
  // Listening from the start: the response may end before the writer returns.
  const outcome = responseOutcome(p.res);
  endWhenStalled(p.res, p.stallMs ?? EXPORT_STALL_MS, () =>
    p.logger.warn({ event: 'export_stalled', actorId: p.actor.id, format: p.entry.format, sent: sent.length }, 'a download was ended: its client stopped reading'),
  );
  let failure: unknown = null;
  try {
    await readSnapshot(p.db, (trx) => p.write(() => streamRows<SheetRow>(trx, p.query(trx), BATCH_ROWS), sent));
  } catch (err) {
    failure = err;
  }
  if (failure !== null && !p.res.headersSent) {
    // Nothing went out: the error page answers instead, as a page, not as the file.
    p.res.removeHeader('Content-Disposition');
    p.res.removeHeader('Content-Type');
    throw failure;
  }
  // A file broken half-way cannot be mended: the client must see it fail, not a short file that looks whole.
  if (failure !== null) p.res.destroy();
  const completed = (await outcome) && failure === null;
  await recordExport(p.db, p.logger, p.actor, { ...p.entry, claimIds: sent, completed });
  if (failure !== null) throw failure;
}
