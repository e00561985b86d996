import type { Knex } from 'knex';

// Working many claims at once.
//
// claim_selections: a bulk action from its preview to its result. The preview
// stores which claims it will change (each with the version it had when the
// person chose it) and which it will not, and why; applying it is one
// request keyed by the selection, so the same request twice applies once.
// A selection is also what "export the selection" downloads.
//
// saved_views: a list's filters under a name, for its owner or for the desk.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE claim_selections (
      key uuid PRIMARY KEY,
      actor_id integer NOT NULL REFERENCES users (id),
      action text NOT NULL CHECK (char_length(action) BETWEEN 1 AND 40),
      params jsonb NOT NULL DEFAULT '{}',
      items jsonb NOT NULL DEFAULT '[]',
      skipped jsonb NOT NULL DEFAULT '[]',
      state text NOT NULL DEFAULT 'previewed' CHECK (state IN ('previewed', 'applying', 'applied')),
      result jsonb,
      back text NOT NULL DEFAULT '/claims' CHECK (back LIKE '/%' AND char_length(back) <= 2000),
      created_at timestamptz NOT NULL DEFAULT now(),
      applied_at timestamptz,
      CHECK ((state = 'applied') = (result IS NOT NULL AND applied_at IS NOT NULL))
    );
    CREATE INDEX claim_selections_actor ON claim_selections (actor_id, created_at DESC);

    CREATE TABLE saved_views (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
      list text NOT NULL CHECK (list IN ('claims', 'review')),
      query text NOT NULL CHECK (char_length(query) <= 2000),
      owner_id integer NOT NULL REFERENCES users (id),
      shared boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX saved_views_own_name ON saved_views (owner_id, lower(name)) WHERE NOT shared;
    CREATE UNIQUE INDEX saved_views_desk_name ON saved_views (lower(name)) WHERE shared;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE saved_views; DROP TABLE claim_selections;`);
}
