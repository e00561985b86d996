/**
 * Quote anchors: where in a report body a claim's quote sits. Offsets count
 * UTF-16 code units, as the browser's DOM does. The server never trusts
 * offsets it is sent: it checks the text is really there, else finds it.
 */
import { findAll } from './find-text.ts';

/** How much context is kept on each side of a quote. */
export const CONTEXT_LENGTH = 32;

/**
 * How many places of a repeated quote are told apart by their context. A
 * quote found more often than this ("the", or a crafted run of one letter) is
 * only placed when its full context occurs once; counting every repeat of it
 * could take seconds on a large body.
 */
export const MAX_OCCURRENCES = 20;

/** Quotes shorter than this are not moved to a place whose surroundings no longer match (they are flagged instead). */
const SHORT_QUOTE = 20;
/** How many characters of context must still match around a short quote's new place. */
const MIN_CONTEXT_MATCH = 8;

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

/** Where a quote is, or why it cannot be placed; `occurrences` above MAX_OCCURRENCES means "more than that". */
export type LocateResult = { ok: true; anchor: Anchor } | { ok: false; reason: 'not_found' | 'ambiguous'; occurrences: number };

/** The anchor for a range of the body, with up to 32 code units of context on each side (never half an emoji). */
export function anchorAt(body: string, start: number, end: number): Anchor {
  let from = Math.max(0, start - CONTEXT_LENGTH);
  if (splitsPair(body, from)) from += 1;
  let to = Math.min(body.length, end + CONTEXT_LENGTH);
  if (splitsPair(body, to)) to -= 1;
  return { exact: body.slice(start, end), prefix: body.slice(from, start), suffix: body.slice(end, to), start, end };
}

/** The last `n` code units of a text at most, without starting inside a surrogate pair. */
export function lastUnits(text: string, n: number): string {
  let from = Math.max(0, text.length - n);
  if (splitsPair(text, from)) from += 1;
  return text.slice(from);
}

/** The first `n` code units of a text at most, without ending inside a surrogate pair. */
export function firstUnits(text: string, n: number): string {
  let to = Math.min(text.length, n);
  if (splitsPair(text, to)) to -= 1;
  return text.slice(0, to);
}

/** True when offset `i` falls between the two halves of a surrogate pair (an emoji, say). */
function splitsPair(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const before = text.charCodeAt(i - 1);
  const after = text.charCodeAt(i);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
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
  const positions = findAll(body, exact, MAX_OCCURRENCES + 1);
  if (positions.length === 0) return { ok: false, reason: 'not_found', occurrences: 0 };
  if (positions.length === 1) return { ok: true, anchor: anchorAt(body, positions[0]!, positions[0]! + exact.length) };
  const prefix = input.prefix ?? '';
  const suffix = input.suffix ?? '';
  const best =
    positions.length > MAX_OCCURRENCES
      ? uniqueInContext(body, exact, prefix, suffix)
      : bestByContext(body, positions, exact.length, prefix, suffix);
  if (best === null) return { ok: false, reason: 'ambiguous', occurrences: positions.length };
  return { ok: true, anchor: anchorAt(body, best, best + exact.length) };
}

/**
 * Where a claim's quote is in a new revision of the body: the exact text
 * (choosing among repeats by prefix and suffix, then by nearness to where it
 * was), or null when the quote is no longer in the text. A short quote whose
 * surroundings no longer match is null too: "the plan" elsewhere in a
 * rewritten report is more likely another passage than the claim's.
 */
export function reanchor(body: string, anchor: Anchor): Anchor | null {
  const length = anchor.exact.length;
  const positions = findAll(body, anchor.exact, MAX_OCCURRENCES + 1);
  if (positions.length === 0) return null;
  let pos: number;
  if (positions.length > MAX_OCCURRENCES) {
    const unique = uniqueInContext(body, anchor.exact, anchor.prefix, anchor.suffix);
    if (unique === null) return null;
    pos = unique;
  } else {
    const scored = positions.map((p) => ({ pos: p, score: contextScore(body, p, length, anchor.prefix, anchor.suffix) }));
    const top = Math.max(...scored.map((s) => s.score));
    const candidates = scored.filter((s) => s.score === top);
    candidates.sort((a, b) => Math.abs(a.pos - anchor.start) - Math.abs(b.pos - anchor.start));
    pos = candidates[0]!.pos;
  }
  if (length < SHORT_QUOTE) {
    const wanted = Math.min(MIN_CONTEXT_MATCH, anchor.prefix.length + anchor.suffix.length);
    if (contextScore(body, pos, length, anchor.prefix, anchor.suffix) < wanted) return null;
  }
  return anchorAt(body, pos, pos + length);
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

/**
 * For a quote repeated too often to score each place: the quote's position
 * when the quote with its whole context (or with its prefix, or its suffix)
 * occurs exactly once; otherwise null.
 */
function uniqueInContext(body: string, exact: string, prefix: string, suffix: string): number | null {
  const tries: [string, number][] = [];
  if (prefix && suffix) tries.push([prefix + exact + suffix, prefix.length]);
  if (prefix) tries.push([prefix + exact, prefix.length]);
  if (suffix) tries.push([exact + suffix, 0]);
  for (const [text, offset] of tries) {
    const hits = findAll(body, text, 2);
    if (hits.length === 1) return hits[0]! + offset;
  }
  return null;
}

/** How many characters of the prefix (read backwards) and suffix (forwards) match around a position. */
function contextScore(body: string, pos: number, length: number, prefix: string, suffix: string): number {
  let score = 0;
  for (let i = 1; i <= prefix.length && pos - i >= 0 && body[pos - i] === prefix[prefix.length - i]; i++) score++;
  const after = pos + length;
  for (let i = 0; i < suffix.length && after + i < body.length && body[after + i] === suffix[i]; i++) score++;
  return score;
}
