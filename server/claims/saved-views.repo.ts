import type { Db } from '../platform/database.ts';

/** A list's filters saved under a name, for its owner or for the desk. */
export interface SavedView {
  id: number;
  name: string;
  list: 'claims' | 'review';
  /** The list's query string (its filters), as the list's own URL has it. */
  query: string;
  ownerId: number;
  ownerName: string;
  shared: boolean;
  createdAt: Date;
}

const COLUMNS = `v.id, v.name, v.list, v.query, v.owner_id AS "ownerId", u.display_name AS "ownerName", v.shared, v.created_at AS "createdAt"`;

/** The views a person sees: their own and the desk's, by name. */
export async function viewsOf(db: Db, userId: number): Promise<SavedView[]> {
  const { rows } = await db.raw<{ rows: SavedView[] }>(
    `SELECT ${COLUMNS} FROM saved_views v JOIN users u ON u.id = v.owner_id WHERE v.owner_id = ? OR v.shared ORDER BY lower(v.name), v.id`,
    [userId],
  );
  return rows;
}

/** One view, or null. */
export async function findView(db: Db, id: number): Promise<SavedView | null> {
  const { rows } = await db.raw<{ rows: SavedView[] }>(`SELECT ${COLUMNS} FROM saved_views v JOIN users u ON u.id = v.owner_id WHERE v.id = ?`, [id]);
  return rows[0] ?? null;
}

/** Whether a view of this name is already where a new one would go (the person's own, or the desk's). */
export async function viewNameTaken(db: Db, name: string, props: { ownerId: number; shared: boolean }): Promise<boolean> {
  const q = db('saved_views').whereRaw('lower(name) = lower(?)', [name]).where({ shared: props.shared });
  if (!props.shared) q.where({ owner_id: props.ownerId });
  return Boolean(await q.first('id'));
}

/** Saves a view; null when its name was taken meanwhile. */
export async function insertView(db: Db, view: Pick<SavedView, 'name' | 'list' | 'query' | 'ownerId' | 'shared'>): Promise<number | null> {
  const rows = await db('saved_views')
    .insert({ name: view.name, list: view.list, query: view.query, owner_id: view.ownerId, shared: view.shared })
    .onConflict()
    .ignore()
    .returning('id');
  return rows[0] ? (rows[0] as { id: number }).id : null;
}

/** Removes a view. */
export async function deleteView(db: Db, id: number): Promise<void> {
  await db('saved_views').where({ id }).delete();
}
