import type { Db } from '../platform/database.ts';
import { evidenceRowsOfClaim, type EvidenceLink } from './evidence.repo.ts';
import { credibilityOneRefusal, NO_LINEAGE, originGroups } from './independence.ts';
import { lineagesOf } from './lineage.ts';
import { pairsAmong, type OriginPair } from './origin-pairs.repo.ts';
import { ancestorsOf, CITATION_KIND_LABELS, describeLoop, loopsOf, originsOf, type CitationGraph, type SourceRef } from './provenance.ts';

/** What the claim page says about where its evidence comes from. */
export interface ClaimProvenance {
  /** Loops of citations the claim's sources are on or lead into, in words. */
  loops: { words: string; sourceIds: number[] }[];
  /** Supporting sources that count as one origin, and why. */
  sharedOrigins: { titles: string[]; why: string }[];
  /** How many independent origins the supporting evidence has. */
  supportingOrigins: number;
  /** Links rated credibility 1 that the evidence no longer bears out. */
  credibilityOneDoubts: { linkId: number; sourceTitle: string; why: string }[];
  /** Pairs of the claim's sources whose excerpts read alike: waiting for a judgement, or judged. */
  pairs: OriginPair[];
  /** For each linked source, what it repeats directly and where its trail ends. */
  bySource: Map<number, { repeats: { kind: string; source: SourceRef }[]; origins: SourceRef[] }>;
}

/**
 * A claim's evidence, each link with its source's lineage, and what the claim
 * page says about where it comes from: the citation graph is read once for both.
 */
export async function evidenceWithProvenance(db: Db, claimId: number): Promise<{ evidence: EvidenceLink[]; provenance: ClaimProvenance }> {
  const rows = await evidenceRowsOfClaim(db, claimId);
  const sourceIds = rows.map((e) => e.sourceId);
  const [{ lineages, graph }, pairs] = await Promise.all([lineagesOf(db, sourceIds), pairsAmong(db, sourceIds)]);
  const evidence = rows.map((r) => ({ ...r, lineage: lineages.get(r.sourceId) ?? NO_LINEAGE }));
  return { evidence, provenance: { ...provenanceOf(graph, evidence), pairs: pairs.filter((p) => p.state !== 'independent') } };
}

/** What the claim page says about its evidence's provenance, from the citations reachable from it (pure). */
export function provenanceOf(graph: CitationGraph, evidence: readonly EvidenceLink[]): Omit<ClaimProvenance, 'pairs'> {
  const reached = new Map(evidence.map((e) => [e.sourceId, new Set([e.sourceId, ...ancestorsOf(graph, e.sourceId)])]));
  const loops = loopsOf(graph)
    .map((loop) => ({ words: describeLoop(graph, loop), sourceIds: evidence.filter((e) => loop.some((m) => reached.get(e.sourceId)?.has(m))).map((e) => e.sourceId) }))
    .filter((l) => l.sourceIds.length > 0);
  const supporting = evidence.filter((e) => e.relation === 'supports');
  const groups = originGroups(supporting);
  const bySource = new Map(
    evidence.map((e) => [
      e.sourceId,
      {
        repeats: graph.citations.filter((c) => c.sourceId === e.sourceId).flatMap((c) => {
          const source = graph.sources.get(c.citedId);
          return source ? [{ kind: CITATION_KIND_LABELS[c.kind].label, source }] : [];
        }),
        origins: graph.citations.some((c) => c.sourceId === e.sourceId) ? originsOf(graph, e.sourceId).flatMap((id) => graph.sources.get(id) ?? []) : [],
      },
    ]),
  );
  return {
    loops,
    sharedOrigins: groups.filter((g) => g.why).map((g) => ({ titles: g.members.map((m) => m.sourceTitle), why: g.why! })),
    supportingOrigins: groups.length,
    credibilityOneDoubts: evidence.flatMap((e) => {
      const why = e.credibility === 1 ? credibilityOneRefusal(evidence, e.relation) : null;
      return why ? [{ linkId: e.id, sourceTitle: e.sourceTitle, why }] : [];
    }),
    bySource,
  };
}
