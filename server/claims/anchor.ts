/**
 * Quote anchors: where in a report body a claim's quote sits. Offsets count
 * UTF-16 code units, as the browser's DOM does. The server never trusts
 * offsets it is sent: it checks the text is really there, else finds it.
 */

/** How much context is kept on each side of a quote. */
export const CONTEXT_LENGTH = 32;

export interface AnchorInput {
  exact: string;
  prefix?: string | null;
  suffix?: string | null;
  start?: number | null;
  end?: number | null;
}

export interface Anchor {
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
}

export type LocateResult = { ok: true; anchor: Anchor } | { ok: false; reason: 'not_found' | 'ambiguous'; occurrences: number };

/** The anchor for a range of the body, with the context on each side. */
export function anchorAt(body: string, start: number, end: number): Anchor {
  return {
    exact: body.slice(start, end),
    prefix: body.slice(Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: body.slice(end, end + CONTEXT_LENGTH),
    start,
    end,
  };
}

/**
 * Finds a quote in the body: at the offsets given if the text is there;
 * otherwise the only occurrence of the text; otherwise the occurrence whose
 * surroundings best match the prefix and suffix, if exactly one is best.
 */
export function locateQuote(body: string, input: AnchorInput): LocateResult {
  const exact = input.exact;
  if (!exact) return { ok: false, reason: 'not_found', occurrences: 0 };
  const { start, end } = input;
  if (Number.isInteger(start) && Number.isInteger(end) && body.slice(start!, end!) === exact) {
    return { ok: true, anchor: anchorAt(body, start!, end!) };
  }
  const positions = occurrences(body, exact);
  if (positions.length === 0) return { ok: false, reason: 'not_found', occurrences: 0 };
  if (positions.length === 1) return { ok: true, anchor: anchorAt(body, positions[0]!, positions[0]! + exact.length) };
  const best = bestByContext(body, positions, exact.length, input.prefix ?? '', input.suffix ?? '');
  if (best === null) return { ok: false, reason: 'ambiguous', occurrences: positions.length };
  return { ok: true, anchor: anchorAt(body, best, best + exact.length) };
}

/**
 * Where a claim's quote is in a new revision of the body: the exact text
 * (choosing among repeats by prefix and suffix, then by nearness to where it
 * was), or null when the quote is no longer in the text.
 */
export function reanchor(body: string, anchor: Anchor): Anchor | null {
  const positions = occurrences(body, anchor.exact);
  if (positions.length === 0) return null;
  if (positions.length === 1) return anchorAt(body, positions[0]!, positions[0]! + anchor.exact.length);
  const scored = positions.map((pos) => ({ pos, score: contextScore(body, pos, anchor.exact.length, anchor.prefix, anchor.suffix) }));
  const top = Math.max(...scored.map((s) => s.score));
  const candidates = scored.filter((s) => s.score === top);
  candidates.sort((a, b) => Math.abs(a.pos - anchor.start) - Math.abs(b.pos - anchor.start));
  const pos = candidates[0]!.pos;
  return anchorAt(body, pos, pos + anchor.exact.length);
}

function occurrences(body: string, exact: string): number[] {
  const found: number[] = [];
  for (let i = body.indexOf(exact); i !== -1; i = body.indexOf(exact, i + 1)) found.push(i);
  return found;
}

/** The one position whose context matches best, or null when the best is tied or matches nothing. */
function bestByContext(body: string, positions: number[], length: number, prefix: string, suffix: string): number | null {
  if (!prefix && !suffix) return null;
  const scored = positions.map((pos) => ({ pos, score: contextScore(body, pos, length, prefix, suffix) }));
  scored.sort((a, b) => b.score - a.score);
  const [first, second] = scored;
  if (!first || first.score === 0 || (second && second.score === first.score)) return null;
  return first.pos;
}

/** How many characters of the prefix (read backwards) and suffix (forwards) match around a position. */
function contextScore(body: string, pos: number, length: number, prefix: string, suffix: string): number {
  let score = 0;
  for (let i = 1; i <= prefix.length && pos - i >= 0 && body[pos - i] === prefix[prefix.length - i]; i++) score++;
  const after = pos + length;
  for (let i = 0; i < suffix.length && after + i < body.length && body[after + i] === suffix[i]; i++) score++;
  return score;
}
