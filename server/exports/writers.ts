import type { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { CLAIM_COLUMNS, CUT_NOTES, EVIDENCE_COLUMNS, cellsOf, evidenceRowsOf, type Column } from './columns.ts';
import { toClaimReview, type ClaimReviewOptions } from './claimreview.ts';
import type { SheetRow } from './sheet.repo.ts';

/** Claim rows as they come from the database, a few at a time. */
export type RowSource = () => AsyncIterable<SheetRow>;

/** Stops reading rows once the client has gone. */
export const gone = (res: Response): boolean => res.destroyed || res.writableEnded;

/**
 * Waits for the first of `events`, the response closing or `timeoutMs`,
 * then stops listening to all of them (events.once() in a Promise.race
 * would leave the losers' listeners behind on every wait: thousands of them
 * in a large export).
 */
export function firstOf(res: Response, events: [EventEmitter, string][], timeoutMs?: number): Promise<void> {
  if (gone(res)) return Promise.resolve();
  return new Promise((resolve) => {
    const all: [EventEmitter, string][] = [...events, [res, 'close']];
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      for (const [emitter, event] of all) emitter.off(event, done);
      clearTimeout(timer);
      resolve();
    };
    for (const [emitter, event] of all) emitter.on(event, done);
    if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
  });
}

/** Writes a chunk, waiting when the client reads slower than the database gives: memory stays flat. */
async function write(res: Response, chunk: string | Buffer): Promise<void> {
  if (!res.write(chunk)) await firstOf(res, [[res, 'drain']]);
}

/**
 * CSV (RFC 4180: quoted as needed, CRLF line ends, UTF-8, optional BOM for
 * Excel). `evidence` writes one row per evidence link, keyed by claim id.
 */
export async function writeCsv(res: Response, rows: RowSource, sent: number[], options: { baseUrl: string; bom: boolean; evidence: boolean }): Promise<void> {
  const line = <R>(columns: Column<R>[], row: R) => stringify([cellsOf(columns, row, options.baseUrl, CUT_NOTES.csv)], { record_delimiter: 'windows' });
  if (options.bom) await write(res, '\ufeff');
  const columns = options.evidence ? EVIDENCE_COLUMNS : CLAIM_COLUMNS;
  await write(res, stringify([columns.map((c) => c.header)], { record_delimiter: 'windows' }));
  for await (const row of rows()) {
    if (gone(res)) break;
    if (options.evidence) {
      for (const e of evidenceRowsOf(row)) await write(res, line(EVIDENCE_COLUMNS, e));
    } else {
      await write(res, line(CLAIM_COLUMNS, row));
    }
    sent.push(row.id);
  }
  res.end();
}

/** JSON: the export's metadata and every claim with its evidence, streamed as one document. */
export async function writeJson(res: Response, rows: RowSource, sent: number[], meta: Record<string, unknown>, options: { baseUrl: string }): Promise<void> {
  // The metadata object with its claims array left open: `{..."claims":[`.
  const head = JSON.stringify({ ...meta, claims: [] }).slice(0, -2);
  await write(res, `${head}\n`);
  let first = true;
  for await (const row of rows()) {
    if (gone(res)) break;
    await write(res, `${first ? '' : ',\n'}${JSON.stringify(claimJson(row, options.baseUrl))}`);
    sent.push(row.id);
    first = false;
  }
  await write(res, '\n]}\n');
  res.end();
}

/** ClaimReview JSON-LD: one schema.org ClaimReview per decided claim, in an @graph. */
export async function writeClaimReview(res: Response, rows: RowSource, sent: number[], options: ClaimReviewOptions): Promise<void> {
  await write(res, '{"@context":"https://schema.org","@graph":[\n');
  let first = true;
  for await (const row of rows()) {
    if (gone(res)) break;
    const review = toClaimReview(row, options);
    if (!review) continue;
    await write(res, `${first ? '' : ',\n'}${JSON.stringify(review)}`);
    sent.push(row.id);
    first = false;
  }
  await write(res, '\n]}\n');
  res.end();
}

function claimJson(r: SheetRow, baseUrl: string) {
  return {
    id: r.id,
    url: `${baseUrl}/claims/${r.id}`,
    report: { id: r.report_id, title: r.report_title, url: r.report_url, publishedOn: r.report_published_on },
    statement: r.statement,
    quote: r.quote,
    claimant: r.claimant,
    kind: r.kind,
    status: r.status,
    verdict: r.verdict === null ? null : { label: r.verdict, rating: r.verdict_rating },
    sameClaimAs: r.repeats.map((id) => ({ id, url: `${baseUrl}/claims/${id}` })),
    confidence: r.confidence,
    reviewer: r.reviewer,
    decidedAt: r.decided_at,
    trueAsOf: r.true_as_of,
    recheckBy: r.recheck_by,
    rationale: r.rationale,
    tags: r.tags,
    evidence: r.evidence,
  };
}
