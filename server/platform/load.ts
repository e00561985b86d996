import { NotFoundError } from './errors.ts';
import { parseId } from './validate.ts';

/** The record a route's id names, found by `find`; a malformed or unknown id is a 404. */
export async function loadById<T>(id: unknown, find: (id: number) => Promise<T | null>): Promise<T> {
  const parsed = parseId(id);
  const record = parsed === null ? null : await find(parsed);
  if (!record) throw new NotFoundError();
  return record;
}
