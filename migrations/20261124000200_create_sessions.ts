import type { Knex } from 'knex';

// The table connect-pg-simple reads and writes, plus an index to find a
// user's sessions when their account is disabled or their password changes.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE session (
      sid varchar NOT NULL PRIMARY KEY,
      sess json NOT NULL,
      expire timestamp(6) NOT NULL
    );
    CREATE INDEX session_expire ON session (expire);
    CREATE INDEX session_by_user ON session ((sess -> 'passport' ->> 'user'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE session');
}
