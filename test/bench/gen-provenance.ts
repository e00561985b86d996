import type { Knex } from 'knex';

/**
 * Citations among the benchmark's sources, in the shape a newsroom's library
 * takes: a few wire stories (one source in a thousand) that one source in
 * thirteen republishes, one in twenty-nine based on an earlier source (which
 * may itself repeat a wire story: chains of two and three), and ten loops of
 * three. The first rich claim's sources get a shared origin and a chain, so
 * its page shows provenance; the chain's start is the source page measured.
 */
export async function addProvenance(db: Knex, richClaimId: number): Promise<{ citations: number; chainSourceId: number; loops: number }> {
  await db.raw(`
    WITH hubs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM sources WHERE id % 1000 = 1),
         hub_count AS (SELECT count(*) AS n FROM hubs)
    INSERT INTO source_citations (source_id, cited_id, kind, created_by, created_at)
    SELECT s.id, h.id, 'republishes', s.created_by, s.updated_at
      FROM sources s, hub_count hc, hubs h
     WHERE s.id % 13 = 0 AND s.id % 1000 <> 1 AND h.n = s.id % hc.n`);
  await db.raw(`
    INSERT INTO source_citations (source_id, cited_id, kind, created_by, created_at)
    SELECT s.id, e.id, 'based_on', s.created_by, s.updated_at
      FROM sources s JOIN sources e ON e.id = s.id - 1 - s.id % 7
     WHERE s.id % 29 = 0 AND s.id % 13 <> 0 AND s.id % 1000 <> 1
    ON CONFLICT DO NOTHING`);
  await db.raw(`
    WITH starts AS (SELECT (SELECT min(id) FROM sources) + 100 + k * 3001 AS a FROM generate_series(0, 9) k)
    INSERT INTO source_citations (source_id, cited_id, kind, created_by, created_at)
    SELECT x.source_id, x.cited_id, 'based_on', s.created_by, s.updated_at
      FROM starts, LATERAL (VALUES (a, a + 1), (a + 1, a + 2), (a + 2, a)) x (source_id, cited_id)
      JOIN sources s ON s.id = x.source_id
     WHERE EXISTS (SELECT 1 FROM sources t WHERE t.id = x.cited_id)
    ON CONFLICT DO NOTHING`);
  const linked = ((await db.raw(`SELECT source_id AS id FROM evidence_links WHERE claim_id = ? ORDER BY id LIMIT 3`, [richClaimId])) as { rows: { id: number }[] }).rows.map((r) => r.id);
  const hub = ((await db.raw(`SELECT min(id) AS id FROM sources WHERE id % 1000 = 1`)) as { rows: { id: number }[] }).rows[0]!.id;
  const [first, second, third] = linked as [number, number, number];
  await db.raw(
    `INSERT INTO source_citations (source_id, cited_id, kind, created_by)
     SELECT v.source_id, v.cited_id, v.kind, (SELECT min(id) FROM users)
       FROM (VALUES (?::int, ?::int, 'republishes'), (?::int, ?::int, 'republishes'), (?::int, ?::int, 'based_on')) v (source_id, cited_id, kind)
      WHERE v.source_id <> v.cited_id
     ON CONFLICT DO NOTHING`,
    [first, hub, second, hub, third, first],
  );
  await db.raw('ANALYZE source_citations');
  const citations = Number(((await db.raw('SELECT count(*)::int AS n FROM source_citations')) as { rows: { n: number }[] }).rows[0]!.n);
  return { citations, chainSourceId: third, loops: 10 };
}
