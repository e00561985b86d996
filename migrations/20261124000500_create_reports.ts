import type { Knex } from 'knex';

// A report's current text lives on the row; every text it ever had, the
// first included, is a numbered revision, so claims can be traced to it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE reports (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
      outlet text CHECK (char_length(outlet) <= 200),
      byline text CHECK (char_length(byline) <= 300),
      url text CHECK (char_length(url) <= 2000 AND url ~ '^(https|http)://'),
      published_on date,
      body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 1000000),
      revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
      imported_by integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
    );
    CREATE INDEX reports_created ON reports (created_at DESC, id DESC);

    CREATE TABLE report_revisions (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      report_id integer NOT NULL REFERENCES reports (id),
      revision integer NOT NULL CHECK (revision >= 1),
      body text NOT NULL,
      note text CHECK (char_length(note) <= 500),
      created_by integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (report_id, revision)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE report_revisions; DROP TABLE reports;');
}
