import type { Db } from '../platform/database.ts';
import type { Citation, CitationGraph, CitationKind, SourceRef } from './provenance.ts';

const REF = `s.id, s.title, s.url, s.publisher, s.outlet`;

/**
 * The part of the citation graph reachable from `sourceIds`: those sources,
 * every source they lead back to, and the citations among them. The
 * recursive query's UNION keeps each source once, so a loop ends the walk
 * instead of running round it.
 */
export async function citationGraphFrom(db: Db, sourceIds: readonly number[]): Promise<CitationGraph> {
  const ids = [...new Set(sourceIds)];
  if (ids.length === 0) return { sources: new Map(), citations: [] };
  const { rows } = await db.raw<{ rows: (SourceRef & { cites: { citedId: number; kind: CitationKind }[] | null })[] }>(
    `WITH RECURSIVE reach (id) AS (
       SELECT unnest(?::int[])
       UNION
       SELECT c.cited_id FROM reach r JOIN source_citations c ON c.source_id = r.id
     )
     SELECT ${REF},
            (SELECT json_agg(json_build_object('citedId', c.cited_id, 'kind', c.kind) ORDER BY c.cited_id)
               FROM source_citations c WHERE c.source_id = s.id) AS cites
       -- The walk as an array: primary-key lookups of the sources reached (joined
       -- to the walk, the planner guesses it large and reads the whole table).
       FROM sources s WHERE s.id = ANY (ARRAY(SELECT id FROM reach))`,
    [ids],
  );
  const sources = new Map<number, SourceRef>();
  const citations: Citation[] = [];
  for (const { cites, ...source } of rows) {
    sources.set(source.id, source);
    for (const c of cites ?? []) citations.push({ sourceId: source.id, citedId: c.citedId, kind: c.kind });
  }
  return { sources, citations };
}

/** A source that cites another, as the cited source's page lists it. */
export interface CitingSource extends SourceRef {
  kind: CitationKind;
}

/** The sources that cite this one directly (the first `limit`, by title), and how many there are. */
export async function sourcesCiting(db: Db, sourceId: number, limit = 50): Promise<{ sources: CitingSource[]; total: number }> {
  const { rows } = await db.raw<{ rows: (CitingSource & { total: number })[] }>(
    `SELECT ${REF}, c.kind, count(*) OVER ()::int AS total
       FROM source_citations c JOIN sources s ON s.id = c.source_id
      WHERE c.cited_id = ? ORDER BY lower(s.title), s.id LIMIT ?`,
    [sourceId, limit],
  );
  return { sources: rows.map(({ total: _t, ...s }) => s), total: rows[0]?.total ?? 0 };
}

/** The citation from one source to another, or null. */
export async function findCitation(db: Db, sourceId: number, citedId: number): Promise<Citation | null> {
  const row = (await db('source_citations').where({ source_id: sourceId, cited_id: citedId }).first('source_id as sourceId', 'cited_id as citedId', 'kind')) as Citation | undefined;
  return row ?? null;
}

/** Records that a source cites another (or changes how); returns false when it already did, the same way. */
export async function upsertCitation(trx: Db, citation: Citation, createdBy: number): Promise<boolean> {
  const rows = await trx('source_citations')
    .insert({ source_id: citation.sourceId, cited_id: citation.citedId, kind: citation.kind, created_by: createdBy })
    .onConflict(['source_id', 'cited_id'])
    .merge({ kind: citation.kind })
    .whereRaw('source_citations.kind IS DISTINCT FROM excluded.kind')
    .returning('source_id');
  return rows.length > 0;
}

/** Removes a citation; false when there was none. */
export async function deleteCitation(trx: Db, sourceId: number, citedId: number): Promise<boolean> {
  return (await trx('source_citations').where({ source_id: sourceId, cited_id: citedId }).delete()) > 0;
}

/**
 * The sources that are on a loop of citations (they lead back to
 * themselves), across the library. The closure is walked from every citing
 * source: citations are few beside sources, and each pair is kept once.
 */
export async function sourcesOnLoops(db: Db): Promise<number[]> {
  const { rows } = await db.raw<{ rows: { id: number }[] }>(
    `WITH RECURSIVE reach (start_id, id) AS (
       SELECT source_id, cited_id FROM source_citations
       UNION
       SELECT r.start_id, c.cited_id FROM reach r JOIN source_citations c ON c.source_id = r.id
     )
     SELECT start_id AS id FROM reach WHERE start_id = id ORDER BY start_id`,
  );
  return rows.map((r) => r.id);
}
