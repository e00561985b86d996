import type { Status } from '../review/states.ts';
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
  /** Text under one or more claims' quotes; `claim` is the innermost, whose status colours it. */
  | { kind: 'mark'; text: string; claim: HighlightClaim; claimIds: number[] }
  /** Where a claim's quote ends: its number and status, as words. */
  | { kind: 'label'; claim: HighlightClaim };

export interface HighlightedParagraph {
  start: number;
  parts: Part[];
}

/**
 * The body as paragraphs, each cut into plain text, highlighted quotes and
 * labels. Overlapping quotes split into segments; a segment is coloured by
 * the claim that starts last (the innermost) and lists every claim over it.
 */
export function highlightBody(body: string, claims: readonly HighlightClaim[]): HighlightedParagraph[] {
  const sorted = [...claims].filter((c) => c.end > c.start).sort((a, b) => a.start - b.start || b.end - a.end);
  return paragraphsOf(body).map(({ start: pStart, end: pEnd }) => {
    const inside = sorted.filter((c) => c.start < pEnd && c.end > pStart);
    const cuts = new Set<number>([pStart, pEnd]);
    for (const c of inside) {
      cuts.add(Math.max(c.start, pStart));
      cuts.add(Math.min(c.end, pEnd));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const parts: Part[] = [];
    for (let i = 0; i < points.length - 1; i++) {
      const from = points[i]!;
      const to = points[i + 1]!;
      const text = body.slice(from, to);
      const covering = inside.filter((c) => c.start <= from && c.end >= to);
      if (covering.length === 0) parts.push({ kind: 'text', text });
      else {
        const innermost = covering.reduce((a, b) => (b.start > a.start || (b.start === a.start && b.end < a.end) ? b : a));
        parts.push({ kind: 'mark', text, claim: innermost, claimIds: covering.map((c) => c.id) });
      }
      for (const c of inside) if (c.end === to) parts.push({ kind: 'label', claim: c });
    }
    return { start: pStart, parts };
  });
}
