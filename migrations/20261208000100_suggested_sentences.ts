import type { Knex } from 'knex';

// Suggested checkable sentences.
//
// report_suggestions: a report's sentences that read as checkable, scored by
// server/reports/checkworthiness.ts (offsets, score and reasons, as jsonb),
// for one revision of its text and one version of the scorer. Scoring a
// long report takes a worker a while, so the result is kept; a new revision
// or a new scorer makes it stale and the report page scores again.
//
// users.show_suggestions: each person's choice to see the suggestions or not.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE report_suggestions (
      report_id integer PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
      revision integer NOT NULL CHECK (revision >= 1),
      scorer integer NOT NULL CHECK (scorer >= 1),
      sentences jsonb NOT NULL CHECK (jsonb_typeof(sentences) = 'array'),
      scored_at timestamptz NOT NULL DEFAULT now()
    );
    ALTER TABLE users ADD COLUMN show_suggestions boolean NOT NULL DEFAULT true;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE users DROP COLUMN show_suggestions;
    DROP TABLE report_suggestions;
  `);
}
