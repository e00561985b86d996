import type { Db } from '../platform/database.ts';
import { citationGraphFrom } from './citations.repo.ts';
import { NO_LINEAGE, type Lineage } from './independence.ts';
import { sameOriginOf } from './origin-pairs.repo.ts';
import { ancestorsOf, type CitationGraph } from './provenance.ts';

/** The lineage of each source: what it leads back to and which sources were judged one origin with it (two queries for any number). */
export async function lineagesOf(db: Db, sourceIds: readonly number[]): Promise<{ lineages: Map<number, Lineage>; graph: CitationGraph }> {
  const [graph, same] = await Promise.all([citationGraphFrom(db, sourceIds), sameOriginOf(db, sourceIds)]);
  const lineages = new Map<number, Lineage>();
  for (const id of sourceIds) {
    const ancestors = ancestorsOf(graph, id).flatMap((a) => graph.sources.get(a) ?? []);
    const sameOriginAs = same.get(id) ?? [];
    lineages.set(id, ancestors.length || sameOriginAs.length ? { ancestors, sameOriginAs } : NO_LINEAGE);
  }
  return { lineages, graph };
}

/** Rows with a source id, each given its source's lineage. */
export async function withLineage<T extends { sourceId: number }>(db: Db, rows: readonly T[]): Promise<(T & { lineage: Lineage })[]> {
  const { lineages } = await lineagesOf(db, rows.map((r) => r.sourceId));
  return rows.map((r) => ({ ...r, lineage: lineages.get(r.sourceId) ?? NO_LINEAGE }));
}
