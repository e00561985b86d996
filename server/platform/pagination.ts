/** Keyset pagination cursors and LIKE escaping, shared by every list. */

/** Escapes % _ and \\ so user text matches literally inside a LIKE pattern. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Where a page ended: the sort timestamp (microseconds, UTC), the id, and the priority when sorting by it. */
export interface Cursor {
  at: string;
  id: number;
  p?: number;
}

/** An opaque page cursor; anything malformed reads as "first page". */
export function decodeCursor(value: string | null | undefined): Cursor | null {
  if (!value || value.length > 200) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed)) return null;
    const [at, id, p] = parsed as unknown[];
    if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at)) return null;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 2_147_483_647) return null;
    if (p !== undefined && (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 3)) return null;
    return { at, id, ...(p !== undefined ? { p } : {}) };
  } catch {
    return null;
  }
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor.p === undefined ? [cursor.at, cursor.id] : [cursor.at, cursor.id, cursor.p])).toString('base64url');
}
