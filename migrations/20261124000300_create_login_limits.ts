import type { Knex } from 'knex';

// Counters of failed sign-ins for rate-limiter-flexible's PostgreSQL store
// (its own column layout), shared by every app process.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE login_limits (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE login_limits');
}
