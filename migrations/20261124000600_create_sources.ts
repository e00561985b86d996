import type { Knex } from 'knex';

// The newsroom's source library. One source per normalised URL; reliability
// on the NATO/Admiralty scale A-F.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE sources (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('web_page', 'document', 'interview', 'dataset', 'social_post', 'prior_fact_check', 'other')),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
      url text CHECK (char_length(url) <= 2000 AND url ~ '^(https|http)://'),
      url_normalized text UNIQUE CHECK (url_normalized ~ '^(https|http)://'),
      publisher text CHECK (char_length(publisher) <= 200),
      author text CHECK (char_length(author) <= 200),
      published_on date,
      accessed_on date,
      archive_url text CHECK (char_length(archive_url) <= 2000 AND archive_url ~ '^(https|http)://'),
      reliability char(1) NOT NULL DEFAULT 'F' CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
      notes text CHECK (char_length(notes) <= 5000),
      created_by integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      CHECK ((url IS NULL) = (url_normalized IS NULL)),
      search tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(publisher, '') || ' ' || coalesce(author, '') || ' ' || coalesce(url_normalized, ''))
      ) STORED
    );
    CREATE INDEX sources_search ON sources USING gin (search);
    CREATE INDEX sources_title ON sources (lower(title), id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE sources');
}
