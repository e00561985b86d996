import type { Confidence } from '../claims/fields.ts';
import { outletOf } from './outlets.ts';
import { isReliable, type Relation } from './ratings.ts';

/** One evidence link as the suggestion sees it. */
export interface EvidenceFact {
  sourceId: number;
  sourceTitle: string;
  publisher: string | null;
  /** The source's address and the outlet an editor named: with the publisher, they say which outlet it is (outlets.ts). */
  sourceUrl: string | null;
  outlet: string | null;
  reliability: string;
  credibility: number;
  relation: Relation;
}

export interface Suggestion {
  level: Confidence;
  reasons: string[];
}

/** What the rules look at, worked out once from the links. */
interface Facts {
  total: number;
  supporting: EvidenceFact[];
  /** Supporting links rated A/B with credibility 1-2, one per outlet. */
  strongIndependent: EvidenceFact[];
  /** Strong supporting links that repeat an outlet already counted, or whose outlet is unknown. */
  strongRepeated: EvidenceFact[];
  /** Supporting links rated A-C with credibility 1-3. */
  credibleSupporting: EvidenceFact[];
  reliableContradicting: EvidenceFact[];
  otherContradicting: EvidenceFact[];
}

const badge = (e: EvidenceFact) => `${e.reliability}${e.credibility}`;
const nameOf = (e: EvidenceFact) => outletOf({ url: e.sourceUrl, publisher: e.publisher, outlet: e.outlet })?.name ?? e.sourceTitle;
const listed = (links: EvidenceFact[]) => links.map((e) => `${nameOf(e)}: ${badge(e)}`).join(', ');
/** "; 2 more from the same outlet (…)", when strong supports repeat an outlet. */
const repeated = (f: Facts) => (f.strongRepeated.length ? `; ${f.strongRepeated.length} more from an outlet already counted or of unknown outlet (${listed(f.strongRepeated)})` : '');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

interface Rule {
  when: (f: Facts) => boolean;
  level: Confidence;
  reason: (f: Facts) => string;
}

/**
 * The confidence rules, in order; the first that applies decides. The desk
 * reads them as a table: reliable contradiction caps at low; two independent
 * strong sources make high; one credible source makes moderate.
 */
export const CONFIDENCE_RULES: readonly Rule[] = [
  { when: (f) => f.total === 0, level: 'low', reason: () => 'No evidence is linked yet' },
  {
    when: (f) => f.reliableContradicting.length > 0,
    level: 'low',
    reason: (f) => `Contradicted by ${plural(f.reliableContradicting.length, 'reliable source')} (${listed(f.reliableContradicting)})`,
  },
  { when: (f) => f.supporting.length === 0, level: 'low', reason: () => 'No supporting evidence' },
  {
    when: (f) => f.strongIndependent.length >= 2 && f.otherContradicting.length === 0,
    level: 'high',
    reason: (f) => `${plural(f.strongIndependent.length, 'independent supporting source')} (${listed(f.strongIndependent)})${repeated(f)}; no contradicting evidence`,
  },
  {
    when: (f) => f.strongIndependent.length >= 2,
    level: 'moderate',
    reason: (f) =>
      `${plural(f.strongIndependent.length, 'independent supporting source')} (${listed(f.strongIndependent)}), but contradicted by ${plural(f.otherContradicting.length, 'less reliable source')} (${listed(f.otherContradicting)})`,
  },
  {
    when: (f) => f.credibleSupporting.length >= 1,
    level: 'moderate',
    reason: (f) =>
      `${plural(f.credibleSupporting.length, 'credible supporting source')} (${listed(f.credibleSupporting)})${f.strongRepeated.length ? `, but only ${plural(f.strongIndependent.length, 'independent outlet')} among the strong ones` : ''}; high confidence needs two independent sources (from two outlets) rated A or B with credibility 1 or 2`,
  },
  {
    when: () => true,
    level: 'low',
    reason: (f) => `Supporting evidence only from sources of low or unknown reliability (${listed(f.supporting)})`,
  },
];

/** The suggested confidence for a claim from its evidence, with its reasons in words. The person decides. */
export function suggestConfidence(links: readonly EvidenceFact[]): Suggestion {
  const facts = factsOf(links);
  const rule = CONFIDENCE_RULES.find((r) => r.when(facts))!;
  return { level: rule.level, reasons: [rule.reason(facts)] };
}

function factsOf(links: readonly EvidenceFact[]): Facts {
  const supporting = links.filter((l) => l.relation === 'supports');
  const contradicting = links.filter((l) => l.relation === 'contradicts');
  // Independent: from different outlets. Sources whose outlet is unknown (no
  // address, publisher or outlet) cannot be told apart, so they count as one.
  const byOutlet = new Map<string, EvidenceFact>();
  const strong = supporting.filter((l) => (l.reliability === 'A' || l.reliability === 'B') && l.credibility <= 2);
  for (const l of strong) {
    const key = outletOf({ url: l.sourceUrl, publisher: l.publisher, outlet: l.outlet })?.key ?? 'unknown';
    const known = byOutlet.get(key);
    if (!known || rank(l) < rank(known)) byOutlet.set(key, l);
  }
  const counted = new Set(byOutlet.values());
  return {
    total: links.length,
    supporting,
    strongIndependent: [...counted].sort((a, b) => rank(a) - rank(b)),
    strongRepeated: strong.filter((l) => !counted.has(l)).sort((a, b) => rank(a) - rank(b)),
    credibleSupporting: supporting.filter((l) => isReliable(l.reliability) && l.credibility <= 3).sort((a, b) => rank(a) - rank(b)),
    reliableContradicting: contradicting.filter((l) => isReliable(l.reliability)),
    otherContradicting: contradicting.filter((l) => !isReliable(l.reliability)),
  };
}

const rank = (l: EvidenceFact) => (l.reliability.charCodeAt(0) - 65) * 10 + l.credibility;
