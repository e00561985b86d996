import type { Knex } from 'knex';

// Set-password links for new accounts and password resets: only a hash of
// the token is stored, and a link works once, before it expires.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE password_links (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id),
      token_hash text NOT NULL UNIQUE,
      purpose text NOT NULL CHECK (purpose IN ('invite', 'reset')),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_by integer REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX password_links_user ON password_links (user_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE password_links');
}
