import type { Knex } from 'knex';
import type { Db } from '../platform/database.ts';

/**
 * Claim selections: a bulk action from its preview to its result (server/bulk/).
 * The preview stores the claims it will change, each with the version it had
 * when the person chose it, and those it will not, with why; applying it is
 * one request keyed by the selection, so the same request twice applies once.
 */

/** A selection's key as it appears in an address (a random UUID). */
export const SELECTION_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A claim a bulk action will change, at the version the person saw. */
export interface SelectedClaim {
  id: number;
  version: number;
}

/** A claim a bulk action leaves as it is, and why (the reason's code groups them). */
export interface SkippedClaim {
  id: number;
  code: string;
  reason: string;
}

export interface BulkResult {
  done: number[];
  skipped: SkippedClaim[];
}

export interface Selection {
  key: string;
  actorId: number;
  action: string;
  params: Record<string, unknown>;
  items: SelectedClaim[];
  skipped: SkippedClaim[];
  state: 'previewed' | 'applying' | 'applied';
  result: BulkResult | null;
  /** The list the person came from, to go back to. */
  back: string;
  createdAt: Date;
  appliedAt: Date | null;
}

const COLUMNS = `key, actor_id AS "actorId", action, params, items, skipped, state, result, back, created_at AS "createdAt", applied_at AS "appliedAt"`;

/** Stores a previewed bulk action. */
export async function insertSelection(db: Db, s: Pick<Selection, 'key' | 'actorId' | 'action' | 'params' | 'items' | 'skipped' | 'back'>): Promise<void> {
  await db('claim_selections').insert({
    key: s.key,
    actor_id: s.actorId,
    action: s.action,
    params: JSON.stringify(s.params),
    items: JSON.stringify(s.items),
    skipped: JSON.stringify(s.skipped),
    back: s.back,
  });
}

/** A person's selection, or null (another person's is nobody else's business). */
export async function findSelection(db: Db, key: string, actorId: number): Promise<Selection | null> {
  const { rows } = await db.raw<{ rows: Selection[] }>(`SELECT ${COLUMNS} FROM claim_selections WHERE key = ? AND actor_id = ?`, [key, actorId]);
  return rows[0] ?? null;
}

/** Marks a previewed selection as being applied; false when it was applied, or is being, already. */
export async function startApplying(db: Db, key: string, actorId: number): Promise<boolean> {
  const n = await db('claim_selections').where({ key, actor_id: actorId, state: 'previewed' }).update({ state: 'applying' });
  return n === 1;
}

/** Records what applying a selection did. */
export async function finishApplying(db: Db, key: string, result: BulkResult): Promise<void> {
  await db('claim_selections').where({ key }).update({ state: 'applied', result: JSON.stringify(result), applied_at: db.fn.now() });
}

/** Narrows a query over `claims c` to a person's selection (its claims to change). */
export function whereSelected(q: Knex.QueryBuilder, key: string, actorId: number): Knex.QueryBuilder {
  return q.whereIn('c.id', (sub) => {
    void sub
      .fromRaw("claim_selections s, jsonb_array_elements(s.items) AS item")
      .select(sub.client.raw("(item->>'id')::int"))
      .where({ 's.key': key, 's.actor_id': actorId });
  });
}
