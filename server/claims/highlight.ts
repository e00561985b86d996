import type { Status } from './statuses.ts';
import { paragraphsOf } from '../reports/text.ts';

/** A claim as the report page highlights it. */
export interface HighlightClaim {
  id: number;
  start: number;
  end: number;
  status: Status;
}

export type Part =
  | { kind: 'text'; text: string }
  /**
   * Text under one or more claims' quotes. `claim` is the most specific of
   * them (the shortest quote; of equal ones, the one that starts last): its
   * status colours the text and a click opens it. `claims` lists every claim
   * over the text, in text order; `overlap` is true when there are several.
   */
  | { kind: 'mark'; text: string; claim: HighlightClaim; claims: HighlightClaim[]; claimIds: number[]; overlap: boolean }
  /** Where a claim's quote ends: its number and status, as words. */
  | { kind: 'label'; claim: HighlightClaim }
  /** A sentence suggested as checkable (never one a claim already quotes), then its label. */
  | { kind: 'suggested'; text: string; suggestion: HighlightSuggestion }
  | { kind: 'suggestion-label'; suggestion: HighlightSuggestion };

/** A suggested sentence as the report page marks it: its place and its number in the list of suggestions. */
export interface HighlightSuggestion {
  n: number;
  start: number;
  end: number;
}

export interface HighlightedParagraph {
  start: number;
  parts: Part[];
}

/**
 * The body as paragraphs, each cut into plain text, highlighted quotes and
 * labels. Overlapping and nested quotes split into segments: each segment
 * names every claim over it and is coloured by the most specific one, so a
 * claim whose quote holds another's still shows its whole extent.
 */
export function highlightBody(body: string, claims: readonly HighlightClaim[], suggestions: readonly HighlightSuggestion[] = []): HighlightedParagraph[] {
  const sorted = [...claims].filter((c) => c.end > c.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const free = unquoted(suggestions, sorted);
  return paragraphsOf(body).map(({ start: pStart, end: pEnd }) => {
    const inside = sorted.filter((c) => c.start < pEnd && c.end > pStart);
    const suggested = free.filter((g) => g.start >= pStart && g.end <= pEnd);
    const cuts = new Set<number>([pStart, pEnd]);
    for (const c of inside) {
      cuts.add(Math.max(c.start, pStart));
      cuts.add(Math.min(c.end, pEnd));
    }
    for (const g of suggested) {
      cuts.add(g.start);
      cuts.add(g.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const parts: Part[] = [];
    for (let i = 0; i < points.length - 1; i++) {
      const from = points[i]!;
      const to = points[i + 1]!;
      const text = body.slice(from, to);
      const covering = inside.filter((c) => c.start <= from && c.end >= to);
      const suggestion = suggested.find((g) => g.start <= from && g.end >= to);
      if (suggestion) {
        parts.push({ kind: 'suggested', text, suggestion });
        if (suggestion.end === to) parts.push({ kind: 'suggestion-label', suggestion });
      } else if (covering.length === 0) parts.push({ kind: 'text', text });
      else {
        const specific = covering.reduce((a, b) => (moreSpecific(b, a) ? b : a));
        parts.push({ kind: 'mark', text, claim: specific, claims: covering, claimIds: covering.map((c) => c.id), overlap: covering.length > 1 });
      }
      for (const c of inside) if (c.end === to) parts.push({ kind: 'label', claim: c });
    }
    return { start: pStart, parts };
  });
}

/** The suggestions that no claim's quote overlaps: a sentence already logged is not suggested again. */
export function unquoted<T extends { start: number; end: number }>(suggestions: readonly T[], claims: readonly { start: number; end: number }[]): T[] {
  return suggestions.filter((g) => !claims.some((c) => c.start < g.end && c.end > g.start));
}

/** True when claim `a`'s quote is more specific than `b`'s: shorter, or as long and starting later. */
function moreSpecific(a: HighlightClaim, b: HighlightClaim): boolean {
  const la = a.end - a.start;
  const lb = b.end - b.start;
  return la < lb || (la === lb && a.start > b.start);
}
