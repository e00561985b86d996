// Markers ts_headline puts around matches (claim-lists.repo.ts). Input
// cleaning strips control characters from all user text, so they cannot occur
// in a statement.
export const MATCH_START = '\u0001';
export const MATCH_END = '\u0002';

/** Text with search matches marked, as pieces a view escapes and wraps in <mark>. */
export function markedPieces(marked: string | null, plain: string): { text: string; match: boolean }[] {
  if (!marked) return [{ text: plain, match: false }];
  const pieces: { text: string; match: boolean }[] = [];
  const re = new RegExp(`${MATCH_START}([^${MATCH_END}]*)${MATCH_END}`, 'g');
  let last = 0;
  for (const m of marked.matchAll(re)) {
    if (m.index > last) pieces.push({ text: marked.slice(last, m.index), match: false });
    pieces.push({ text: m[1] ?? '', match: true });
    last = m.index + m[0].length;
  }
  if (last < marked.length) pieces.push({ text: marked.slice(last), match: false });
  return pieces;
}
