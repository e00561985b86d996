/**
 * Where a piece of text occurs in a longer one, in time proportional to the
 * two lengths whatever they hold (Knuth–Morris–Pratt over UTF-16 code units).
 * String.prototype.indexOf is faster on ordinary text but can take seconds on
 * crafted input (a megabyte of "a" searched for "aaa…b…aaa"), and a report's
 * body and a claim's quote are both typed by people.
 */

/** The offsets of the first `limit` occurrences of `pattern` in `text` (overlapping ones included). */
export function findAll(text: string, pattern: string, limit: number): number[] {
  const found: number[] = [];
  const m = pattern.length;
  if (m === 0 || m > text.length || limit <= 0) return found;
  // fail[i]: the length of the longest proper prefix of pattern[0..i] that is also its suffix.
  const fail = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    const c = pattern.charCodeAt(i);
    while (k > 0 && pattern.charCodeAt(k) !== c) k = fail[k - 1]!;
    if (pattern.charCodeAt(k) === c) k++;
    fail[i] = k;
  }
  for (let i = 0, k = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    while (k > 0 && pattern.charCodeAt(k) !== c) k = fail[k - 1]!;
    if (pattern.charCodeAt(k) === c) k++;
    if (k === m) {
      found.push(i - m + 1);
      if (found.length >= limit) break;
      k = fail[k - 1]!;
    }
  }
  return found;
}
