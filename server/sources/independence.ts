import { outletOf } from './outlets.ts';
import type { SourceRef } from './provenance.ts';

/** Where a linked source comes from: what it leads back to, and which sources an editor judged one origin with it. */
export interface Lineage {
  /** Every source it leads back to through citations (provenance.ts ancestorsOf). */
  ancestors: SourceRef[];
  /** Sources an editor confirmed share its origin (their excerpts read alike). */
  sameOriginAs: number[];
}

export const NO_LINEAGE: Lineage = { ancestors: [], sameOriginAs: [] };

/** A piece of evidence as independence sees it: its source, the source's outlet fields and its lineage. */
export interface IndependenceFact {
  sourceId: number;
  sourceTitle: string;
  sourceUrl: string | null;
  publisher: string | null;
  outlet: string | null;
  lineage: Lineage;
}

/** Evidence that counts as one confirmation, and in words why (null for a group of one). */
export interface OriginGroup<T> {
  members: T[];
  why: string | null;
}

const outletKey = (s: { url: string | null; publisher: string | null; outlet: string | null }) => outletOf(s)?.key ?? null;
const outletName = (key: string, members: IndependenceFact[]) => {
  const refs = members.flatMap((m) => [{ url: m.sourceUrl, publisher: m.publisher, outlet: m.outlet }, ...m.lineage.ancestors]);
  for (const r of refs) {
    const outlet = outletOf(r);
    if (outlet?.key === key) return outlet.name;
  }
  return key;
};

/** What ties evidence to others: its source and every source it leads back to, and their outlets (an unknown outlet counts as one). */
function tiesOf(e: IndependenceFact): Ties {
  const sources = new Set([e.sourceId, ...e.lineage.ancestors.map((a) => a.id)]);
  const judged = new Set(e.lineage.sameOriginAs.map((other) => [Math.min(other, e.sourceId), Math.max(other, e.sourceId)].join('-')));
  const outlets = new Set<string>([outletKey({ url: e.sourceUrl, publisher: e.publisher, outlet: e.outlet }) ?? 'unknown']);
  for (const a of e.lineage.ancestors) {
    const key = outletKey(a);
    if (key) outlets.add(key);
  }
  return { sources, outlets, judged };
}

interface Ties {
  sources: Set<number>;
  outlets: Set<string>;
  /** Pairs an editor judged one origin, as "low-high" ids. */
  judged: Set<string>;
}

/**
 * Groups evidence into independent origins: two pieces are independent only
 * if nothing ties them, neither a source one leads back to (a shared origin,
 * a source the other repeats, a pair an editor judged one origin) nor an
 * outlet; ties chain (A with B, B with C: one group). Groups keep the order
 * of their first member.
 */
export function originGroups<T extends IndependenceFact>(links: readonly T[]): OriginGroup<T>[] {
  const ties = links.map(tiesOf);
  const parent = links.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  ties.forEach((t, i) => {
    for (const key of [...[...t.sources].map((s) => `s:${s}`), ...[...t.outlets].map((o) => `o:${o}`), ...[...t.judged].map((j) => `j:${j}`)]) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, number[]>();
  links.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]));
  return [...groups.values()].map((idx) => ({ members: idx.map((i) => links[i]!), why: idx.length > 1 ? whyOneOrigin(idx.map((i) => links[i]!), idx.map((i) => ties[i]!)) : null }));
}

/** Why a group is one origin: the source all of them lead back to, else the outlet they share. */
function whyOneOrigin(members: IndependenceFact[], ties: Ties[]): string {
  const all = members.length === 2 ? 'both' : `all ${members.length}`;
  const common = [...ties[0]!.sources].filter((s) => ties.every((t) => t.sources.has(s)));
  if (common.length > 0) {
    const title = titleOf(common[0]!, members);
    return `${all} lead back to “${title}”`;
  }
  const outlet = [...ties[0]!.outlets].find((o) => ties.every((t) => t.outlets.has(o)));
  if (outlet === 'unknown') return `${all} are of unknown outlet, so they cannot be told apart`;
  if (outlet) return `${all} come from ${outletName(outlet, members)}`;
  if (members.length === 2 && [...ties[0]!.judged].some((j) => ties[1]!.judged.has(j))) return 'an editor judged their excerpts one origin';
  return `${all} are tied to each other through shared origins or outlets`;
}

function titleOf(id: number, members: IndependenceFact[]): string {
  for (const m of members) {
    if (m.sourceId === id) return m.sourceTitle;
    const a = m.lineage.ancestors.find((s) => s.id === id);
    if (a) return a.title;
  }
  return `source #${id}`;
}

/** How many independent origins the evidence has. */
export function independentOrigins(links: readonly IndependenceFact[]): number {
  return originGroups(links).length;
}

/**
 * Why credibility 1 ("confirmed by other independent sources") cannot be
 * given to a link of `relation`, or null when it can: the claim needs at
 * least two pieces of evidence on that link's side (contradicting for a
 * contradicting link, supporting otherwise) with independent origins.
 */
export function credibilityOneRefusal(links: readonly (IndependenceFact & { relation: string })[], relation: string): string | null {
  const side = relation === 'contradicts' ? 'contradicts' : 'supports';
  const origins = independentOrigins(links.filter((l) => l.relation === side));
  if (origins >= 2) return null;
  const what = side === 'supports' ? 'supporting' : 'contradicting';
  return `Credibility 1 means “confirmed by other independent sources”: it needs at least two ${what} sources with different origins and outlets, and this claim has ${origins === 0 ? 'none' : '1 independent origin'}. Choose 2 (probably true) until an independent source confirms it.`;
}
