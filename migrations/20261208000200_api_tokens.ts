import type { Knex } from 'knex';

// Personal access tokens for the JSON API (/api/v1).
//
// A token acts as its user, read-only or read-write, until it expires or is
// revoked. Only a SHA-256 hash of it is kept (a token is 32 random bytes, so
// a fast hash is enough: there is nothing to guess from), with a hint of its
// last characters to tell tokens apart. Revoking keeps the row, and who
// revoked it, for the record.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE api_tokens (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      hint text NOT NULL CHECK (char_length(hint) BETWEEN 1 AND 20),
      scope text NOT NULL CHECK (scope IN ('read', 'write')),
      expires_at timestamptz NOT NULL,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      revoked_by integer REFERENCES users (id),
      CHECK (expires_at > created_at),
      CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
    );
    CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at DESC);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE api_tokens');
}
