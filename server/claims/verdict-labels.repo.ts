import type { Db } from '../platform/database.ts';
import type { DecidedStatus } from './statuses.ts';

/** A verdict in the desk's own words: for one decided status, with its rating on the 1-5 scale (null: in words only). */
export interface VerdictLabel {
  id: number;
  name: string;
  status: DecidedStatus;
  rating: number | null;
  colour: string;
  description: string;
  position: number;
  version: number;
}

export type LabelFields = Pick<VerdictLabel, 'name' | 'status' | 'rating' | 'colour' | 'description'>;

const COLUMNS = ['id', 'name', 'status', 'rating', 'colour', 'description', 'position', 'version'];

/** The verdict_labels table: every statement on it lives here. */

export async function listLabels(db: Db): Promise<VerdictLabel[]> {
  return (await db('verdict_labels').select(COLUMNS).orderBy([{ column: 'position' }, { column: 'id' }])) as VerdictLabel[];
}

/** Each label with how many claims carry it. */
export async function listLabelsWithUse(db: Db): Promise<(VerdictLabel & { claims: number })[]> {
  return (await db('verdict_labels as l')
    .select(COLUMNS.map((c) => `l.${c}`))
    .select(db.raw('(SELECT count(*) FROM claims c WHERE c.verdict_label_id = l.id) AS claims'))
    .orderBy([{ column: 'l.position' }, { column: 'l.id' }])) as (VerdictLabel & { claims: number })[];
}

export async function findLabel(db: Db, id: number, options: { lock?: boolean } = {}): Promise<VerdictLabel | null> {
  const q = db('verdict_labels').select(COLUMNS).where({ id }).first();
  if (options.lock) q.forUpdate();
  return ((await q) as VerdictLabel | undefined) ?? null;
}

/**
 * The label a decision gets when the reviewer chose none: the plainest of its
 * status (the best-rated for a verified claim, the worst-rated for a refuted
 * one), else the first in the desk's order. The migration that made labels
 * gave the claims decided before them the same.
 */
export async function defaultLabelOf(db: Db, status: DecidedStatus): Promise<VerdictLabel | null> {
  return ((await db('verdict_labels').select(COLUMNS).where({ status }).orderByRaw(DEFAULT_ORDER).first()) as VerdictLabel | undefined) ?? null;
}
export const DEFAULT_ORDER = "CASE status WHEN 'verified' THEN -rating WHEN 'refuted' THEN rating END NULLS LAST, position, id";

export async function countLabelsOf(db: Db, status: DecidedStatus): Promise<number> {
  return Number(((await db('verdict_labels').where({ status }).count<{ n: number }[]>('* as n'))[0]!).n);
}

export async function insertLabel(db: Db, fields: LabelFields): Promise<number> {
  const [row] = (await db('verdict_labels')
    .insert({ ...fields, position: db.raw('(SELECT coalesce(max(position), 0) + 1 FROM verdict_labels)') })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Saves a label if it is still at `version`; false when someone saved first. */
export async function updateLabelIfCurrent(db: Db, id: number, version: number, fields: Omit<LabelFields, 'status'>): Promise<boolean> {
  const n = await db('verdict_labels').where({ id, version }).update({ ...fields, version: db.raw('version + 1'), updated_at: db.fn.now() });
  return n === 1;
}

/** Swaps a label's place with its neighbour's, up or down the order. */
export async function swapWithNeighbour(trx: Db, label: VerdictLabel, direction: 'up' | 'down'): Promise<void> {
  const neighbour = (await trx('verdict_labels')
    .select('id', 'position')
    .where('position', direction === 'up' ? '<' : '>', label.position)
    .orderBy('position', direction === 'up' ? 'desc' : 'asc')
    .first()
    .forUpdate()) as { id: number; position: number } | undefined;
  if (!neighbour) return;
  await trx('verdict_labels').where({ id: label.id }).update({ position: neighbour.position, version: trx.raw('version + 1') });
  await trx('verdict_labels').where({ id: neighbour.id }).update({ position: label.position, version: trx.raw('version + 1') });
}

/** The claims carrying one label move to another (of the same status), each to a new version; returns their ids. */
export function relabelClaims(trx: Db, fromId: number, toId: number) {
  return trx('claims').where({ verdict_label_id: fromId }).update({ verdict_label_id: toId, version: trx.raw('version + 1') }).returning(trx.raw('id AS claim_id'));
}

export async function deleteLabel(trx: Db, id: number): Promise<void> {
  await trx('verdict_labels').where({ id }).delete();
}

/** How many claims carry each label (the dashboard). */
export async function claimsPerLabel(db: Db): Promise<{ id: number; name: string; status: DecidedStatus; colour: string; claims: number }[]> {
  return (await db('verdict_labels as l')
    .select('l.id', 'l.name', 'l.status', 'l.colour')
    .select(db.raw('(SELECT count(*) FROM claims c WHERE c.verdict_label_id = l.id) AS claims'))
    .orderBy([{ column: 'l.position' }, { column: 'l.id' }])) as { id: number; name: string; status: DecidedStatus; colour: string; claims: number }[];
}
