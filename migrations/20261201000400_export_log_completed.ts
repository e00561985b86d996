import type { Knex } from 'knex';

// Whether the person received the whole file: a download the client broke
// off is logged with the claims sent before it stopped and completed = false.
// Rows logged before this column existed keep NULL: nobody knows.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE export_log ADD COLUMN completed boolean');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE export_log DROP COLUMN completed');
}
