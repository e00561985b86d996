import type { Knex } from 'knex';

// The words of each source's URL (everything between punctuation), in order,
// so a search for a host or path fragment ("example.org/sample") is a GIN
// index lookup of adjacent words, checked against the URL itself. The text
// search column keeps a host as one token, and pg_trgm is not available on
// every engine Factdesk runs on.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE sources ADD COLUMN url_words tsvector GENERATED ALWAYS AS (
      to_tsvector('simple'::regconfig, regexp_replace(coalesce(url_normalized, ''), '[^A-Za-z0-9]+', ' ', 'g'))
    ) STORED;
    CREATE INDEX sources_url_words ON sources USING gin (url_words);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE sources DROP COLUMN url_words');
}
