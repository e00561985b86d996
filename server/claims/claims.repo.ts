import type { Knex } from 'knex';
import type { Db } from '../platform/database.ts';
import { notAnAuthorSql } from '../platform/policies.ts';
import type { Anchor } from './anchor.ts';
import type { Confidence, Kind } from './fields.ts';
import { DECIDED_STATUSES, type Status } from './statuses.ts';

/**
 * The claims table: every statement that reads one claim or writes any lives
 * here (lists and counts are in claim-lists.repo.ts). Commands of every
 * feature compose these inside their transaction; the database's trigger
 * repeats the rules that matter most (status edges, four-eyes).
 */

/** A claim with the names a page shows beside it. */
export interface Claim {
  id: number;
  reportId: number;
  reportTitle: string;
  statement: string;
  quote: string;
  quotePrefix: string;
  quoteSuffix: string;
  quoteStart: number;
  quoteEnd: number;
  anchoredRevision: number;
  quoteMissing: boolean;
  claimant: string | null;
  kind: Kind;
  tags: string[];
  priority: number;
  confidence: Confidence | null;
  status: Status;
  rationale: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  authors: number[];
  createdBy: number;
  createdByName: string;
  createdAt: Date;
  editedBy: number | null;
  editedAt: Date | null;
  submittedAt: Date | null;
  statusChangedAt: Date | null;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  /** The day the claim was true as of, and the day to check it again by (decided claims only; YYYY-MM-DD). */
  trueAsOf: string | null;
  recheckBy: string | null;
  recheckedAt: Date | null;
  /** A decided claim's verdict in the desk's words, and the label's colour. */
  verdictLabelId: number | null;
  verdictLabel: string | null;
  verdictColour: string | null;
  version: number;
}

export const CLAIM_COLUMNS = `c.id, c.report_id AS "reportId", r.title AS "reportTitle", c.statement, c.quote,
  c.quote_prefix AS "quotePrefix", c.quote_suffix AS "quoteSuffix", c.quote_start AS "quoteStart", c.quote_end AS "quoteEnd",
  c.anchored_revision AS "anchoredRevision", c.quote_missing AS "quoteMissing", c.claimant, c.kind, c.tags, c.priority,
  c.confidence, c.status, c.rationale, c.assignee_id AS "assigneeId", ua.display_name AS "assigneeName", c.authors,
  c.created_by AS "createdBy", uc.display_name AS "createdByName", c.created_at AS "createdAt", c.edited_by AS "editedBy",
  c.edited_at AS "editedAt", c.submitted_at AS "submittedAt", c.status_changed_at AS "statusChangedAt",
  c.decided_by AS "decidedBy", ud.display_name AS "decidedByName", c.decided_at AS "decidedAt",
  c.true_as_of AS "trueAsOf", c.recheck_by AS "recheckBy", c.rechecked_at AS "recheckedAt",
  c.verdict_label_id AS "verdictLabelId", vl.name AS "verdictLabel", vl.colour AS "verdictColour", c.version`;

export const CLAIM_JOINS = `JOIN reports r ON r.id = c.report_id
  JOIN users uc ON uc.id = c.created_by
  LEFT JOIN users ua ON ua.id = c.assignee_id
  LEFT JOIN users ud ON ud.id = c.decided_by
  LEFT JOIN verdict_labels vl ON vl.id = c.verdict_label_id`;

/**
 * One claim with its names; `lock` holds its row until the transaction ends.
 * Every lock on a claim row here is FOR NO KEY UPDATE (no change to its id):
 * another transaction may still reference the row meanwhile (a new claim's
 * suggestion naming it as the earlier claim), instead of deadlocking with it.
 */
export async function findClaim(db: Db, id: number, { lock = false } = {}): Promise<Claim | null> {
  const { rows } = await db.raw<{ rows: Claim[] }>(
    `SELECT ${CLAIM_COLUMNS} FROM claims c ${CLAIM_JOINS} WHERE c.id = ?${lock ? ' FOR NO KEY UPDATE OF c' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Whether a claim with this id exists. */
export async function claimExists(db: Db, id: number): Promise<boolean> {
  return Boolean(await db('claims').where({ id }).first('id'));
}

export interface NewClaim {
  reportId: number;
  statement: string;
  quote: Anchor;
  anchoredRevision: number;
  claimant: string | null;
  kind: Kind;
  tags: string[];
  priority: number;
}

/** Adds a claim in draft, its logger its first author. */
export async function insertClaim(trx: Db, claim: NewClaim, actorId: number): Promise<number> {
  const [row] = await trx('claims')
    .insert({
      report_id: claim.reportId,
      ...anchorColumns(claim.quote, claim.anchoredRevision),
      statement: claim.statement,
      claimant: claim.claimant,
      kind: claim.kind,
      tags: claim.tags,
      priority: claim.priority,
      authors: [actorId],
      created_by: actorId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** The fields an editor changes on a claim. */
export interface ClaimEdit {
  statement: string;
  claimant: string | null;
  kind: Kind;
  tags: string[];
  priority: number;
  confidence: Confidence | null;
}

/** Saves an edit if the claim is still at `version`; `addAuthor` adds the editor to its authors. False when someone saved first. */
export async function saveClaimEdit(
  trx: Db,
  props: { id: number; version: number; edit: ClaimEdit; anchor: Anchor; anchoredRevision: number; editorId: number; addAuthor: boolean },
): Promise<boolean> {
  const { edit } = props;
  const updated = await trx('claims')
    .where({ id: props.id, version: props.version })
    .update({
      statement: edit.statement,
      ...anchorColumns(props.anchor, props.anchoredRevision),
      claimant: edit.claimant,
      kind: edit.kind,
      tags: edit.tags,
      priority: edit.priority,
      confidence: edit.confidence,
      edited_by: props.editorId,
      edited_at: trx.fn.now(),
      version: trx.raw('version + 1'),
      ...(props.addAuthor ? { authors: trx.raw('array_append(authors, ?)', [props.editorId]) } : {}),
    });
  return updated === 1;
}

/** A status change as the workflow makes it: what the row becomes besides its status. */
export interface StatusChange {
  id: number;
  from: Status;
  version: number;
  to: Status;
  actorId: number;
  /** Entering the queue: the time it starts waiting. */
  submitted: boolean;
  /** A decision: who decided, when. */
  decided: boolean;
  /** Reopening: the decision is cleared. */
  clearsDecision: boolean;
  /** The assignee goes back to nobody. */
  releasesAssignee: boolean;
  /** Set when given (undefined keeps the stored value). */
  rationale?: string | null;
  confidence?: Confidence | null;
  /** A decision's days: true as of, check again by. */
  dates?: { trueAsOf: string | null; recheckBy: string | null };
  /** A decision's verdict label. */
  verdictLabelId?: number;
}

/** Moves a claim to another status if it is still in `from` at `version`: one conditional UPDATE. False when it is not. */
export async function changeStatusIfCurrent(trx: Db, c: StatusChange): Promise<boolean> {
  const updated = await trx('claims')
    .where({ id: c.id, status: c.from, version: c.version })
    .update({
      status: c.to,
      version: trx.raw('version + 1'),
      status_changed_by: c.actorId,
      status_changed_at: trx.fn.now(),
      ...(c.submitted ? { submitted_at: trx.fn.now() } : {}),
      ...(c.decided ? { decided_by: c.actorId, decided_at: trx.fn.now() } : {}),
      ...(c.rationale !== undefined ? { rationale: c.rationale } : {}),
      ...(c.confidence !== undefined ? { confidence: c.confidence } : {}),
      ...(c.dates ? { true_as_of: c.dates.trueAsOf, recheck_by: c.dates.recheckBy } : {}),
      ...(c.verdictLabelId !== undefined ? { verdict_label_id: c.verdictLabelId } : {}),
      ...(c.clearsDecision ? { decided_by: null, decided_at: null, true_as_of: null, recheck_by: null, rechecked_at: null, rechecked_by: null, verdict_label_id: null } : {}),
      ...(c.releasesAssignee ? { assignee_id: null } : {}),
    });
  return updated === 1;
}

/** A decided claim checked again: its new days, if it is still at `version`. False when someone changed it first. */
export async function recheckIfCurrent(trx: Db, c: { id: number; version: number; actorId: number; trueAsOf: string | null; recheckBy: string | null }): Promise<boolean> {
  const updated = await trx('claims')
    .where({ id: c.id, version: c.version })
    .whereIn('status', DECIDED_STATUSES)
    .update({ true_as_of: c.trueAsOf, recheck_by: c.recheckBy, rechecked_at: trx.fn.now(), rechecked_by: c.actorId, version: trx.raw('version + 1') });
  return updated === 1;
}

/** A claim's status, its row locked for a change of its evidence; null when there is no such claim. */
export async function lockClaimStatus(trx: Db, id: number): Promise<{ id: number; status: Status } | null> {
  return ((await trx('claims').select('id', 'status').where({ id }).forNoKeyUpdate().first()) as { id: number; status: Status } | undefined) ?? null;
}

/** A new version for a claim whose evidence changed: forms opened before are stale (409). */
export async function bumpClaimVersion(trx: Db, id: number): Promise<void> {
  await trx('claims').where({ id }).update({ version: trx.raw('version + 1') });
}

/**
 * A new version for every claim among `claimIds` (a subquery) not yet
 * decided; decided claims keep theirs. Rows are locked in id order, so two
 * such changes never deadlock.
 */
export async function bumpOpenClaims(trx: Db, claimIds: Knex.QueryBuilder): Promise<void> {
  const decided = DECIDED_STATUSES.map(() => '?').join(', ');
  await trx.raw(
    `UPDATE claims SET version = version + 1
      WHERE id IN (SELECT c.id FROM claims c WHERE c.id IN ? AND c.status NOT IN (${decided}) ORDER BY c.id FOR NO KEY UPDATE OF c)`,
    [claimIds, ...DECIDED_STATUSES],
  );
}

/** What assignment looks at, the claim's row locked; null when there is no such claim. */
export async function lockClaimAssignment(trx: Db, id: number): Promise<{ id: number; status: Status; assigneeId: number | null; authors: number[] } | null> {
  return (
    ((await trx('claims').select('id', 'status', 'assignee_id as assigneeId', 'authors').where({ id }).forNoKeyUpdate().first()) as
      | { id: number; status: Status; assigneeId: number | null; authors: number[] }
      | undefined) ?? null
  );
}

/** Gives a claim to a reviewer, or back to nobody. */
export async function setAssignee(trx: Db, id: number, assigneeId: number | null): Promise<void> {
  await trx('claims').where({ id }).update({ assignee_id: assigneeId });
}

/**
 * The statement that assigns the next unassigned claim in the queue that the
 * reviewer may review, in queue order, returning its id as `claim_id` (the
 * audit records its event from it in the same statement). SKIP LOCKED:
 * reviewers pressing at the same moment each get a different claim.
 */
export function assignNextInQueue(db: Db, reviewerId: number): Knex.Raw {
  return db.raw(
    `UPDATE claims c SET assignee_id = ?
      WHERE c.id = (
        SELECT id FROM claims
         WHERE status = 'in_review' AND assignee_id IS NULL AND ${notAnAuthorSql('authors')}
         ORDER BY priority DESC, submitted_at ASC, id ASC
         LIMIT 1
         FOR NO KEY UPDATE SKIP LOCKED)
     RETURNING c.id AS claim_id`,
    [reviewerId, reviewerId],
  );
}

/** A report's claims with their anchors, locked in id order, for re-anchoring in a new revision of its text. */
export async function lockAnchorsOfReport(trx: Db, reportId: number): Promise<{ id: number; anchor: Anchor; quoteMissing: boolean }[]> {
  const rows = (await trx('claims')
    .select('id', 'quote', 'quote_prefix', 'quote_suffix', 'quote_start', 'quote_end', 'quote_missing')
    .where({ report_id: reportId })
    .orderBy('id')
    .forNoKeyUpdate()) as { id: number; quote: string; quote_prefix: string; quote_suffix: string; quote_start: number; quote_end: number; quote_missing: boolean }[];
  return rows.map((c) => ({ id: c.id, anchor: { exact: c.quote, prefix: c.quote_prefix, suffix: c.quote_suffix, start: c.quote_start, end: c.quote_end }, quoteMissing: c.quote_missing }));
}

/** Puts a claim's quote at its place in a revision; `bump` gives the claim a new version (its place changed). */
export async function saveAnchor(trx: Db, id: number, props: { anchor: Anchor; revision: number; bump: boolean }): Promise<void> {
  const { exact: _same, ...place } = props.anchor;
  await trx('claims')
    .where({ id })
    .update({
      quote_start: place.start,
      quote_end: place.end,
      quote_prefix: place.prefix,
      quote_suffix: place.suffix,
      anchored_revision: props.revision,
      quote_missing: false,
      ...(props.bump ? { version: trx.raw('version + 1') } : {}),
    });
}

/** Flags a claim whose quote is no longer in its report's text, with a new version. */
export async function markQuoteMissing(trx: Db, id: number): Promise<void> {
  await trx('claims').where({ id }).update({ quote_missing: true, version: trx.raw('version + 1') });
}

function anchorColumns(anchor: Anchor, revision: number) {
  return {
    quote: anchor.exact,
    quote_prefix: anchor.prefix,
    quote_suffix: anchor.suffix,
    quote_start: anchor.start,
    quote_end: anchor.end,
    anchored_revision: revision,
    quote_missing: false,
  };
}
