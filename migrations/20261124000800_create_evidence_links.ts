import type { Knex } from 'knex';

// A claim's evidence: which source bears on it, how (relation), the passage
// that does (excerpt), and how credible that information is (1-6).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE evidence_links (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      claim_id integer NOT NULL REFERENCES claims (id),
      source_id integer NOT NULL REFERENCES sources (id),
      relation text NOT NULL CHECK (relation IN ('origin', 'supports', 'contradicts', 'context')),
      excerpt text CHECK (char_length(excerpt) <= 5000),
      locator text CHECK (char_length(locator) <= 200),
      credibility smallint NOT NULL DEFAULT 6 CHECK (credibility BETWEEN 1 AND 6),
      note text CHECK (char_length(note) <= 2000),
      created_by integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_by integer REFERENCES users (id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      UNIQUE (claim_id, source_id)
    );
    CREATE INDEX evidence_links_source ON evidence_links (source_id, claim_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE evidence_links');
}
