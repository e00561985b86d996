import type { EvidenceFact } from './confidence.ts';

/** Evidence counted for a claim: what lists, the queue and the state guards look at. */
export interface EvidenceSummary {
  supports: number;
  contradicts: number;
  total: number;
  /** The best reliability (A best) among supporting sources, or null. */
  bestReliability: string | null;
}

/** Counts a claim's links by relation and finds the best-rated supporting source: the one rule every list and guard uses. */
export function summariseEvidence(links: readonly EvidenceFact[]): EvidenceSummary {
  let supports = 0;
  let contradicts = 0;
  let bestReliability: string | null = null;
  for (const link of links) {
    if (link.relation === 'contradicts') contradicts += 1;
    if (link.relation !== 'supports') continue;
    supports += 1;
    // Reliability letters sort best first: A (completely reliable) to F (cannot be judged).
    if (bestReliability === null || link.reliability < bestReliability) bestReliability = link.reliability;
  }
  return { supports, contradicts, total: links.length, bestReliability };
}
