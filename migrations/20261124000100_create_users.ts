import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE users (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email = btrim(email) AND position('@' in email) > 1),
      display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 100),
      password_hash text,
      role text NOT NULL CHECK (role IN ('editor', 'reviewer', 'admin')),
      disabled boolean NOT NULL DEFAULT false,
      last_sign_in_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE users');
}
