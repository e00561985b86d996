import assert from 'node:assert/strict';
import type { Db } from '../../server/platform/database.ts';
import type { Relation, Status } from './workflow-model.ts';

/** Snapshots of the database and the invariants the workflow property test checks after every step. */

// --------------------------------------------------------------- snapshots

export interface EventRow { id: number; claim_id: number; type: string; action: string | null; from_status: string | null; to_status: string | null; comment: string | null; actor_id: number | null; data: string; created_at: string }
export interface ClaimRow { id: number; status: Status; version: number; authors: number[]; assignee_id: number | null; statement: string; quote: string; quote_start: number; quote_end: number; confidence: string | null; decided_by: number | null; rationale: string | null; claimant: string | null; kind: string; priority: number }
export interface LinkRow { id: number; claim_id: number; source_id: number; relation: Relation }
export interface CommentRow { id: number; claim_id: number; author_id: number; body: string; created_at: string }
/**
 * An append-only table (claim_events, comments) as last seen: every row up
 * to `upTo` (kept in memory, to name a row that changed) with their digest
 * as the database computes it, and the rows that are new since the view
 * before. Checking a digest keeps each step's cost flat in what the table
 * already holds (FC_RUNS can be large) while still covering every row.
 */
export interface LogView<R extends { id: number }> { upTo: number; digest: string; rows: R[]; fresh: R[]; intact: boolean }
export interface Snapshot { events: LogView<EventRow>; claims: Map<number, ClaimRow>; links: LinkRow[]; comments: LogView<CommentRow>; sources: number }

export const LOG_COLUMNS = {
  claim_events: 'id, claim_id, type, action, from_status, to_status, comment, actor_id, data::text AS data, created_at::text AS created_at',
  comments: 'id, claim_id, author_id, body, created_at::text AS created_at',
} as const;
export type LogTable = keyof typeof LOG_COLUMNS;

export async function logDigest(db: Db, table: LogTable, upTo: number): Promise<string> {
  const { rows } = await db.raw<{ rows: { d: string }[] }>(
    `SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') AS d FROM (SELECT ${LOG_COLUMNS[table]} FROM ${table} WHERE id <= ?) t`,
    [upTo],
  );
  return rows[0]?.d ?? '';
}

export async function readLog<R extends { id: number }>(db: Db, table: LogTable, prev: LogView<R> | undefined): Promise<LogView<R>> {
  const from = prev?.upTo ?? 0;
  const fresh = (await db.raw<{ rows: R[] }>(`SELECT ${LOG_COLUMNS[table]} FROM ${table} WHERE id > ? ORDER BY id`, [from])).rows;
  const upTo = fresh.length > 0 ? fresh[fresh.length - 1]!.id : from;
  const intact = prev ? (await logDigest(db, table, prev.upTo)) === prev.digest : true;
  return { upTo, digest: await logDigest(db, table, upTo), rows: prev ? prev.rows.concat(fresh) : fresh, fresh, intact };
}

export async function snapshot(db: Db, prev?: Snapshot): Promise<Snapshot> {
  const [events, comments, claims, links, sources] = await Promise.all([
    readLog<EventRow>(db, 'claim_events', prev?.events),
    readLog<CommentRow>(db, 'comments', prev?.comments),
    db.raw<{ rows: ClaimRow[] }>(
      `SELECT id, status, version, authors, assignee_id, statement, quote, quote_start, quote_end, confidence, decided_by, rationale, claimant, kind, priority FROM claims ORDER BY id`,
    ),
    db.raw<{ rows: LinkRow[] }>('SELECT id, claim_id, source_id, relation FROM evidence_links ORDER BY id'),
    db.raw<{ rows: { n: number }[] }>('SELECT count(*)::int AS n FROM sources'),
  ]);
  return { events, comments, claims: new Map(claims.rows.map((c) => [c.id, c])), links: links.rows, sources: sources.rows[0]?.n ?? 0 };
}

/** Names the rows of an append-only table that changed or went missing since `before`. */
export async function assertLogIntact<R extends { id: number }>(db: Db, table: LogTable, before: LogView<R>, after: LogView<R>, where: string): Promise<void> {
  if (after.intact) return;
  const { rows } = await db.raw<{ rows: R[] }>(`SELECT ${LOG_COLUMNS[table]} FROM ${table} WHERE id <= ? ORDER BY id`, [before.upTo]);
  const now = new Map(rows.map((r) => [r.id, r]));
  for (const r of before.rows) assert.deepEqual(now.get(r.id), r, `${where}: ${table} row ${r.id} went missing or changed`);
  assert.fail(`${where}: ${table} rows up to ${before.upTo} changed`);
}

/** (d), (e): the history and the comment thread are append-only, versions and authors only grow, nothing disappears. */
export async function assertAppendOnly(db: Db, before: Snapshot, after: Snapshot, where: string): Promise<void> {
  await assertLogIntact(db, 'claim_events', before.events, after.events, where);
  await assertLogIntact(db, 'comments', before.comments, after.comments, where);
  for (const [id, claim] of before.claims) {
    const now = after.claims.get(id);
    assert.ok(now, `${where}: claim ${id} disappeared`);
    assert.ok(now.version >= claim.version, `${where}: claim ${id}'s version went down from ${claim.version} to ${now.version}`);
    for (const a of claim.authors) assert.ok(now.authors.includes(a), `${where}: claim ${id} lost author ${a}`);
  }
  const links = new Set(after.links.map((l) => l.id));
  for (const l of before.links) assert.ok(links.has(l.id), `${where}: evidence link ${l.id} disappeared (nobody unlinked it)`);
}

/**
 * Invariants over a run's claims (those of its report) after a sequence. (b) each claim's status is the
 * to-state of its last transition (draft without one) and the transitions
 * chain (each starts where the one before ended); (c) no decision was taken
 * by someone who was an author of the claim at that moment, and no decided
 * claim's decider is one of its authors now, and no claim waiting in review
 * is assigned to one of its authors (the assign form and take next refuse
 * that, so no other path may lead there). (assertWorkflowInvariants in
 * test/support compares past decisions with today's authors, which also
 * flags a reviewer who decided, reopened and then edited the claim: legal
 * under DESIGN.md, so this file checks authorship as of each decision.)
 */
export async function assertHistoryInvariants(db: Db, reportId: number): Promise<void> {
  const { rows: mismatched } = await db.raw<{ rows: { id: number; status: string; last: string | null }[] }>(`
    SELECT c.id, c.status, last.to_status AS last
      FROM claims c
      LEFT JOIN LATERAL (SELECT e.to_status FROM claim_events e WHERE e.claim_id = c.id AND e.type = 'transition' ORDER BY e.id DESC LIMIT 1) last ON true
     WHERE c.report_id = ? AND c.status <> coalesce(last.to_status, 'draft')`, [reportId]);
  assert.deepEqual(mismatched, [], 'a claim whose status is not the to-state of its last transition');
  const { rows: broken } = await db.raw<{ rows: { id: number }[] }>(`
    SELECT e.id FROM (
      SELECT e.*, lag(e.to_status) OVER (PARTITION BY e.claim_id ORDER BY e.id) AS prev
        FROM claim_events e JOIN claims c ON c.id = e.claim_id WHERE e.type = 'transition' AND c.report_id = ?) e
     WHERE e.from_status <> coalesce(e.prev, 'draft')`, [reportId]);
  assert.deepEqual(broken, [], 'a transition event that does not start where the previous one ended');
  const { rows: selfDecided } = await db.raw<{ rows: { id: number; claim_id: number; actor_id: number | null; action: string }[] }>(`
    SELECT d.id, d.claim_id, d.actor_id, d.action
      FROM claim_events d JOIN claims c ON c.id = d.claim_id
     WHERE c.report_id = ? AND d.type = 'transition' AND d.action IN ('verify', 'refute', 'mark_unverifiable', 'request_changes')
       AND (d.actor_id IS NULL OR d.actor_id = c.created_by OR EXISTS (
             SELECT 1 FROM claim_events e
              WHERE e.claim_id = d.claim_id AND e.id < d.id AND e.type = 'edited' AND e.actor_id = d.actor_id
                AND (e.data->'changes'->'statement' IS NOT NULL OR e.data->'changes'->'quote' IS NOT NULL)))`, [reportId]);
  assert.deepEqual(selfDecided, [], 'a decision taken by one of the claim’s authors at the time');
  const { rows: deciderIsAuthor } = await db.raw<{ rows: { id: number }[] }>(
    `SELECT id FROM claims WHERE report_id = ? AND decided_by IS NOT NULL AND decided_by = ANY (authors)`,
    [reportId],
  );
  assert.deepEqual(deciderIsAuthor, [], 'a decided claim whose decider is one of its authors');
  const { rows: assignedToAuthor } = await db.raw<{ rows: { id: number; assignee_id: number }[] }>(
    `SELECT id, assignee_id FROM claims WHERE report_id = ? AND status = 'in_review' AND assignee_id = ANY (authors)`,
    [reportId],
  );
  assert.deepEqual(assignedToAuthor, [], 'a claim in review assigned to one of its authors (who may not decide it, and take next passes it by)');
  const { rows: created } = await db.raw<{ rows: { id: number; n: number }[] }>(`
    SELECT c.id, count(e.id)::int AS n FROM claims c LEFT JOIN claim_events e ON e.claim_id = c.id AND e.type = 'created'
     WHERE c.report_id = ? GROUP BY c.id HAVING count(e.id) <> 1`, [reportId]);
  assert.deepEqual(created, [], 'a claim without exactly one "created" event');
  // Each version bump is one recorded change (edit, evidence, transition), and each recorded change one bump.
  const { rows: miscounted } = await db.raw<{ rows: { id: number; version: number; changes: number }[] }>(`
    SELECT c.id, c.version, count(e.id)::int AS changes FROM claims c
      LEFT JOIN claim_events e ON e.claim_id = c.id AND e.type IN ('edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition')
     WHERE c.report_id = ? GROUP BY c.id, c.version HAVING c.version <> 1 + count(e.id)`, [reportId]);
  assert.deepEqual(miscounted, [], 'a claim whose version does not count its recorded changes');
}
