/** Keyset pagination cursors and LIKE escaping, shared by every list. */

/** Escapes % _ and \ so user text matches literally inside a LIKE pattern. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The kinds of value a cursor holds: a timestamp (microseconds, UTC), an integer, or text. */
type Part = 'timestamp' | 'int' | 'text';
type ValueOf<P extends Part> = P extends 'int' ? number : string;
type ValuesOf<T extends readonly Part[]> = { [K in keyof T]: T[K] extends Part ? ValueOf<T[K]> : never };

const CHECKS: Record<Part, (v: unknown) => boolean> = {
  timestamp: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(v),
  int: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2_147_483_647,
  text: (v) => typeof v === 'string' && v.length <= 1000,
};

/** Where a page ended (the sort key of its last row), as an opaque URL-safe string. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The sort key a cursor holds, checked against the expected shape; anything malformed reads as "first page". */
export function decodeCursor<const T extends readonly Part[]>(value: string | null | undefined, shape: T): ValuesOf<T> | null {
  if (!value || value.length > 2000) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== shape.length) return null;
    return shape.every((part, i) => CHECKS[part](parsed[i])) ? (parsed as ValuesOf<T>) : null;
  } catch {
    return null;
  }
}
