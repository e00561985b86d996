import type { Knex } from 'knex';

// Provenance: which sources repeat which. A source may name the sources it is
// based on, quotes or republishes (a wire story taken by two outlets, a
// paper citing a study). Two pieces of evidence whose sources lead back to
// one source are one confirmation, not two; a loop (A cites B cites A) is
// circular reporting. Self-citations are kept, not refused: they are shown
// as a loop for an editor to repair, since a merge of two addresses of one
// page can make one.
//
// source_origin_pairs: two sources whose excerpts on a claim read nearly
// word for word alike may share an origin nobody named. The pair is
// suggested, then an editor says whether they are one origin ('same') or
// not ('independent'); a judged pair is not suggested again.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE source_citations (
      source_id integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      cited_id integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('based_on', 'quotes', 'republishes')),
      created_by integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source_id, cited_id)
    );
    CREATE INDEX source_citations_cited ON source_citations (cited_id);

    CREATE TABLE source_origin_pairs (
      source_a integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      source_b integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      claim_id integer NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
      similarity real NOT NULL CHECK (similarity BETWEEN 0 AND 1),
      state text NOT NULL DEFAULT 'suggested' CHECK (state IN ('suggested', 'same', 'independent')),
      decided_by integer REFERENCES users (id),
      decided_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source_a, source_b),
      CHECK (source_a < source_b),
      CHECK ((state = 'suggested') = (decided_by IS NULL AND decided_at IS NULL))
    );
    CREATE INDEX source_origin_pairs_b ON source_origin_pairs (source_b);
    CREATE INDEX source_origin_pairs_suggested ON source_origin_pairs (created_at) WHERE state = 'suggested';

    -- The origins of a source for the exports, as [{id, title, url}]: the
    -- sources its trail of citations ends at; for a trail that ends in a
    -- loop, every source it reaches. Empty for a source that cites nothing
    -- (it is its own origin). The pages work it out in server/sources/provenance.ts.
    CREATE FUNCTION factdesk_source_origins(integer) RETURNS jsonb
      LANGUAGE sql STABLE
      SET search_path FROM CURRENT
      AS $$
        WITH RECURSIVE reach (id) AS (
          SELECT cited_id FROM source_citations WHERE source_id = $1
          UNION
          SELECT c.cited_id FROM reach r JOIN source_citations c ON c.source_id = r.id
        ),
        ends AS (
          SELECT id FROM reach r WHERE NOT EXISTS (SELECT 1 FROM source_citations x WHERE x.source_id = r.id)
        ),
        origins AS (
          SELECT id FROM ends UNION ALL SELECT id FROM reach WHERE NOT EXISTS (SELECT 1 FROM ends)
        )
        SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'title', s.title, 'url', s.url) ORDER BY s.id), '[]'::jsonb)
          FROM origins o JOIN sources s ON s.id = o.id
      $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP FUNCTION factdesk_source_origins(integer); DROP TABLE source_origin_pairs; DROP TABLE source_citations;`);
}
