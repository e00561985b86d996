import type { Db } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { isAdmin, type Actor } from '../platform/policies.ts';
import { ClaimFilters, filtersToQuery, queryValues } from './claim-filters.ts';
import { countMatching } from './claim-lists.repo.ts';
import { deleteView, findView, insertView, viewNameTaken, viewsOf, type SavedView } from './saved-views.repo.ts';

/** How far a view's count in the menu is counted: beyond it, "99+" (each count then stops early, however broad the view). */
export const VIEW_COUNT_CAP = 99;

/** The views every person has: what most desks look at first. */
export const BUILT_IN_VIEWS: readonly Pick<SavedView, 'name' | 'list' | 'query'>[] = [
  { name: 'Assigned to me', list: 'review', query: 'assignee=me' },
  { name: 'My claims', list: 'claims', query: 'createdBy=me' },
  { name: 'Waiting longest', list: 'claims', query: 'status=in_review&sort=oldest' },
];

/** A view's address: the list with its filters. */
export const viewPath = (v: Pick<SavedView, 'list' | 'query'>) => `/${v.list}${v.query ? `?${v.query}` : ''}`;

/** A view in the menu: its name, address, live count (up to the cap), and whether this person may remove it. */
export interface MenuView {
  id: number | null;
  name: string;
  path: string;
  count: number;
  shared: boolean;
  mine: boolean;
  removable: boolean;
}

/** Who may remove a saved view: the person who saved it, and an admin for a desk view. The one place of that rule. */
export function canRemoveView(actor: Actor, view: { ownerId: number | null; shared: boolean }): boolean {
  return view.ownerId !== null && (view.ownerId === actor.id || (view.shared && isAdmin(actor)));
}

/**
 * The views menu of the lists: the built-in views, then the person's and the
 * desk's, each with how many claims it holds now (counted up to the cap, so
 * a menu of broad views costs a bounded count each).
 */
export async function viewsMenu(db: Db, actor: Actor): Promise<MenuView[]> {
  const saved = await viewsOf(db, actor.id);
  const all = [...BUILT_IN_VIEWS.map((v) => ({ ...v, id: null, shared: true, ownerId: null })), ...saved];
  const counts: number[] = [];
  for (const v of all) {
    const parsed = ClaimFilters.safeParse(queryValues(v.query));
    counts.push(parsed.success ? await countMatching(db, parsed.data, actor, { queue: v.list === 'review', cap: VIEW_COUNT_CAP }) : 0);
  }
  return all.map((v, i) => ({ id: v.id, name: v.name, path: viewPath(v), count: counts[i]!, shared: v.shared, mine: v.ownerId === actor.id, removable: canRemoveView(actor, v) }));
}

/**
 * Saves a list's filters as a view. The query is the list's filters in their
 * one written form (parsed and written again), so a view holds only what the
 * list understands. A name already used (the person's own, or the desk's) is refused beside the field.
 */
export async function saveView(db: Db, actor: Actor, input: { name: string; list: 'claims' | 'review'; query: string; shared: boolean }): Promise<{ id: number; path: string }> {
  const filters = ClaimFilters.parse(queryValues(input.query));
  const query = filtersToQuery({ ...filters, selection: null }).toString();
  const taken = () => new ValidationError({ name: `${input.shared ? 'The desk already has' : 'You already have'} a view called “${input.name}”. Choose another name.` });
  if (await viewNameTaken(db, input.name, { ownerId: actor.id, shared: input.shared })) throw taken();
  const id = await insertView(db, { name: input.name, list: input.list, query, ownerId: actor.id, shared: input.shared });
  if (id === null) throw taken();
  return { id, path: viewPath({ list: input.list, query }) };
}

/** Removes a view: its owner may, and an admin may remove the desk's. */
export async function removeView(db: Db, actor: Actor, id: number): Promise<SavedView> {
  const view = await findView(db, id);
  if (!view) throw new NotFoundError();
  if (!canRemoveView(actor, view)) throw new ForbiddenError('Only the person who saved this view, or an admin for a desk view, can remove it.');
  await deleteView(db, id);
  return view;
}
