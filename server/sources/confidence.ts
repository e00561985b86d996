import type { Confidence } from '../claims/fields.ts';
import { originGroups, type IndependenceFact, type OriginGroup } from './independence.ts';
import { outletOf } from './outlets.ts';
import { isReliable, type Relation } from './ratings.ts';

/**
 * One evidence link as the suggestion sees it: its source with the fields
 * that tell its outlet (outlets.ts) and its lineage (independence.ts).
 */
export interface EvidenceFact extends IndependenceFact {
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
  /** The supporting links grouped by independent origin. */
  origins: OriginGroup<EvidenceFact>[];
  /** Supporting links rated A/B with credibility 1-2, the best of each independent origin. */
  strongIndependent: EvidenceFact[];
  /** Strong supporting links that share an origin or outlet with one already counted. */
  strongRepeated: EvidenceFact[];
  /** Supporting links rated A-C with credibility 1-3. */
  credibleSupporting: EvidenceFact[];
  reliableContradicting: EvidenceFact[];
  otherContradicting: EvidenceFact[];
}

const badge = (e: EvidenceFact) => `${e.reliability}${e.credibility}`;
const nameOf = (e: EvidenceFact) => outletOf({ url: e.sourceUrl, publisher: e.publisher, outlet: e.outlet })?.name ?? e.sourceTitle;
const listed = (links: EvidenceFact[]) => links.map((e) => `${nameOf(e)}: ${badge(e)}`).join(', ');
/** "; 1 more sharing an origin or outlet with one counted (…)", when strong supports are not independent. */
const repeated = (f: Facts) => (f.strongRepeated.length ? `; ${f.strongRepeated.length} more sharing an origin or outlet with one counted (${listed(f.strongRepeated)})` : '');
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
      `${plural(f.credibleSupporting.length, 'credible supporting source')} (${listed(f.credibleSupporting)})${f.strongRepeated.length ? `, but only ${plural(f.strongIndependent.length, 'independent origin')} among the strong ones` : ''}; high confidence needs two independent sources (different origins, different outlets) rated A or B with credibility 1 or 2`,
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
  const origins = originsInWords(facts);
  return { level: rule.level, reasons: origins ? [origins, rule.reason(facts)] : [rule.reason(facts)] };
}

/** "2 supporting sources, 1 independent origin: both lead back to “…”", when supporting sources are not all independent. */
function originsInWords(f: Facts): string | null {
  if (f.origins.length === f.supporting.length) return null;
  const why = f.origins.filter((g) => g.why).map((g) => (f.origins.length > 1 ? `${g.members.map((m) => `“${m.sourceTitle}”`).join(' and ')}: ${g.why}` : g.why));
  return `${plural(f.supporting.length, 'supporting source')}, ${plural(f.origins.length, 'independent origin')}: ${why.join('; ')}`;
}

function factsOf(links: readonly EvidenceFact[]): Facts {
  const supporting = links.filter((l) => l.relation === 'supports');
  const contradicting = links.filter((l) => l.relation === 'contradicts');
  // Independent: of different origins and outlets (independence.ts); the
  // best strong link of each origin counts.
  const isStrong = (l: EvidenceFact) => (l.reliability === 'A' || l.reliability === 'B') && l.credibility <= 2;
  const strong = supporting.filter(isStrong);
  const origins = originGroups(supporting);
  const counted = new Set(origins.flatMap((g) => g.members.filter(isStrong).sort((a, b) => rank(a) - rank(b)).slice(0, 1)));
  return {
    total: links.length,
    supporting,
    origins,
    strongIndependent: [...counted].sort((a, b) => rank(a) - rank(b)),
    strongRepeated: strong.filter((l) => !counted.has(l)).sort((a, b) => rank(a) - rank(b)),
    credibleSupporting: supporting.filter((l) => isReliable(l.reliability) && l.credibility <= 3).sort((a, b) => rank(a) - rank(b)),
    reliableContradicting: contradicting.filter((l) => isReliable(l.reliability)),
    otherContradicting: contradicting.filter((l) => !isReliable(l.reliability)),
  };
}

const rank = (l: EvidenceFact) => (l.reliability.charCodeAt(0) - 65) * 10 + l.credibility;
